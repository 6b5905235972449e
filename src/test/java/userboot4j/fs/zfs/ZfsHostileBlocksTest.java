package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import userboot4j.BootException;
import userboot4j.disk.Volume;
import userboot4j.testsupport.Require;

/**
 * Real pool blocks made hostile (block pointers altered in memory, block contents patched through an
 * overlay and re-checksummed): each read ends quickly in one BootException naming what is wrong, or, where
 * the damage lies in fields the reader does not follow, in the same result as from the intact block.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZfsHostileBlocksTest {
    static JsonNode pool(String corpus, String key) throws Exception {
        return new ObjectMapper().readTree(Require.sharedFixture("fixtures/zfs/" + corpus + "/MANIFEST.json")
                .toFile()).path(key);
    }

    /** {@code bp} with other sizes, compression and checksum; the same DVAs. */
    static Blkptr resized(Blkptr bp, long lsize, long psize, int compress, long[] cksum) {
        return bp.with(bp.dvas(), lsize, psize, compress, bp.checksum(), cksum);
    }

    /** {@code bp} with every DVA moved to {@code offset}. */
    static Blkptr moved(Blkptr bp, long offset) {
        Blkptr.Dva[] dvas = bp.dvas().clone();
        for (int i = 0; i < dvas.length; i++) {
            if (!dvas[i].isEmpty()) {
                dvas[i] = new Blkptr.Dva(dvas[i].vdev(), offset, dvas[i].asize(), dvas[i].gang());
            }
        }
        return bp.with(dvas, bp.lsize(), bp.psize(), bp.compress(), bp.checksum(), bp.cksum());
    }

    @Test
    void blockPastTheEndOfTheDeviceIsRefused() throws Exception {
        try (PoolDisks pd = PoolDisks.open("zfs-fuse", pool("zfs-fuse", "fzsingle"))) {
            ZfsPools.Pool p = ZfsPools.discover(pd.volumes()).get(0);
            Blkptr bp = p.uberblock().rootbp();
            for (long offset : new long[] {pd.images().get(0).size(), Long.MAX_VALUE & -512L}) {
                assertThatThrownBy(() -> new Spa(p).read(moved(bp, offset), "fzsingle MOS"))
                        .isInstanceOf(BootException.InvalidFormat.class)
                        .hasMessageMatching("fzsingle MOS: block of 0x[0-9a-f]+ bytes at offset 0x[0-9a-f]+ is past "
                                + "the allocatable space of disk0 \\(0x[0-9a-f]+ bytes\\)");
            }
        }
        try (PoolDisks pd = PoolDisks.open("zfs-fuse", pool("zfs-fuse", "fzraidz1"))) {
            ZfsPools.Pool p = ZfsPools.discover(pd.volumes()).get(0);
            Blkptr bp = moved(p.uberblock().rootbp(), 1L << 40);
            assertThatThrownBy(() -> new Spa(p).read(bp, "fzraidz1 MOS"))
                    .isInstanceOf(BootException.InvalidFormat.class)
                    .hasMessageMatching("fzraidz1 MOS: \\d of \\d raidz1 columns cannot be read, at most 1 can be "
                            + "rebuilt: block of .* is past the allocatable space of disk\\d .*");
        }
    }

    /** A dnode whose data blocks would be 32 MiB, past the 16 MiB any pool can write, is refused. */
    @Test
    void dnodeWithOversizedBlocksIsRefused() throws Exception {
        try (PoolDisks pd = PoolDisks.open("zfs-fuse", pool("zfs-fuse", "fzsingle"))) {
            ZfsPools.Pool p = ZfsPools.discover(pd.volumes()).get(0);
            Dmu dmu = new Dmu(new Spa(p));
            DnodePhys mos = dmu.objset(p.uberblock().rootbp(), "fzsingle MOS");
            Dmu.Block block = dmu.block(mos, 0, "fzsingle MOS");
            assertThat(DnodePhys.decode(block.bytes(), DnodePhys.SIZE, block.order(), "object 1").blockSize())
                    .isPositive();
            ByteBuffer.wrap(block.bytes()).order(block.order()).putShort(DnodePhys.SIZE + 8, (short) 0xffff);
            assertThatThrownBy(() -> DnodePhys.decode(block.bytes(), DnodePhys.SIZE, block.order(), "object 1"))
                    .isInstanceOf(BootException.InvalidFormat.class)
                    .hasMessageMatching("object 1: dnode with .*, data blocks of 65535 sectors");
        }
    }

    /**
     * An LZ4 (OpenZFS 2.1) and an LZJB (OpenZFS 2.1, legacy pool) block whose pointer claims a logical size
     * other than what the data decompresses to. The decoders behave as OpenZFS's do: LZ4 refuses a size too
     * small to hold its output and zero-fills one too large; LZJB stops at the size given (the block's
     * start comes back) and runs out of input for one too large.
     */
    @Test
    void compressedBlocksWithLyingSizes() throws Exception {
        for (String key : List.of("ozlz4", "ozlegacy")) {
            try (PoolDisks pd = PoolDisks.open("openzfs-modern", pool("openzfs-modern", key))) {
                ZfsPools.Pool p = ZfsPools.discover(pd.volumes()).get(0);
                Dmu dmu = new Dmu(new Spa(p));
                DnodePhys dir = dmu.dnode(dmu.objset(p.uberblock().rootbp(), key), 1, key);
                Blkptr bp = dir.blkptr()[1];
                int type = bp.compress();
                assertThat(type).isEqualTo(key.equals("ozlz4") ? ZioCompress.LZ4 : ZioCompress.LZJB);
                byte[] real = new Spa(p).read(bp, key);
                Blkptr small = resized(bp, bp.lsize() / 2, bp.psize(), type, bp.cksum());
                Blkptr large = resized(bp, bp.lsize() * 2, bp.psize(), type, bp.cksum());
                String corrupt = key + " leaf \\(disk0 offset 0x[0-9a-f]+\\): compressed block \\(type " + type
                        + "\\) is corrupt";
                if (type == ZioCompress.LZ4) {
                    assertThatThrownBy(() -> new Spa(p).read(small, key + " leaf"))
                            .isInstanceOf(BootException.InvalidFormat.class).hasMessageMatching(corrupt);
                    assertThat(new Spa(p).read(large, key + " leaf")).startsWith(real).hasSize(real.length * 2)
                            .endsWith(new byte[real.length]);
                } else {
                    assertThat(new Spa(p).read(small, key + " leaf")).isEqualTo(
                            java.util.Arrays.copyOf(real, real.length / 2));
                    assertThatThrownBy(() -> new Spa(p).read(large, key + " leaf"))
                            .isInstanceOf(BootException.InvalidFormat.class).hasMessageMatching(corrupt);
                }
            }
        }
    }

    /** A copy of the MOS object directory of ozlegacy (a fat ZAP) whose leaf block is {@code patched}. */
    record PatchedZap(Dmu dmu, DnodePhys dir) {
    }

    /**
     * The fat ZAP of ozlegacy's object directory with its leaf block (block 1) replaced by the result of
     * {@code patch} on it: written gzip-compressed where the leaf was, its block pointer re-checksummed.
     */
    static PatchedZap patchLeaf(PoolDisks pd, java.util.function.Consumer<ByteBuffer> patch) throws Exception {
        ZfsPools.Pool p = ZfsPools.discover(pd.volumes()).get(0);
        Dmu dmu = new Dmu(new Spa(p));
        DnodePhys dir = dmu.dnode(dmu.objset(p.uberblock().rootbp(), "ozlegacy"), 1, "ozlegacy");
        Blkptr bp = dir.blkptr()[1];
        byte[] leaf = new Spa(p).read(bp, "ozlegacy leaf");
        patch.accept(ByteBuffer.wrap(leaf).order(Dmu.order(bp)));
        Deflater z = new Deflater(9);
        z.setInput(leaf);
        z.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!z.finished()) {
            out.write(buf, 0, z.deflate(buf));
        }
        z.end();
        byte[] phys = java.util.Arrays.copyOf(out.toByteArray(), (out.size() + 511) & -512);
        assertThat((long) phys.length).as("the patched leaf fits where the leaf was").isLessThanOrEqualTo(
                bp.dvas()[0].asize());
        List<Volume> disks = pd.volumes();
        disks.set(0, new Overlay(disks.get(0), Spa.LABEL_START + bp.dvas()[0].offset(), phys));
        Blkptr patched = resized(bp, bp.lsize(), phys.length, ZioCompress.GZIP_9,
                ZioChecksum.compute(bp.checksum(), phys, Dmu.order(bp), null, "patched leaf"));
        Blkptr[] bps = dir.blkptr().clone();
        bps[1] = patched;
        DnodePhys copy = new DnodePhys(dir.type(), dir.indblkshift(), dir.nlevels(), bps, dir.bonustype(),
                dir.datablkszsec(), dir.bonus(), dir.maxblkid(), dir.order(), dir.spill());
        return new PatchedZap(new Dmu(new Spa(ZfsPools.discover(disks).get(0))), copy);
    }

    /** Offsets of the entry chunks of a 16 KiB ZAP leaf. */
    static List<Integer> entries(ByteBuffer leaf) {
        int chunks0 = Zap.LEAF_HEADER + leaf.capacity() / 16;
        int nchunks = (leaf.capacity() - leaf.capacity() / 16) / Zap.CHUNK - 2;
        List<Integer> out = new java.util.ArrayList<>();
        for (int c = 0; c < nchunks; c++) {
            if ((leaf.get(chunks0 + c * Zap.CHUNK) & 0xff) == Zap.CHUNK_ENTRY) {
                out.add(chunks0 + c * Zap.CHUNK);
            }
        }
        return out;
    }

    /** The first array chunk of the name of the entry chunk at {@code entry} made to go on to itself. */
    static void loopName(ByteBuffer leaf, int entry) {
        int chunks0 = Zap.LEAF_HEADER + leaf.capacity() / 16;
        int name = leaf.getShort(entry + 4) & 0xffff;
        leaf.putShort(chunks0 + name * Zap.CHUNK + 22, (short) name);
    }

    @Test
    void fatZapWhoseNameChainLoopsIsRefused() throws Exception {
        try (PoolDisks pd = PoolDisks.open("openzfs-modern", pool("openzfs-modern", "ozlegacy"))) {
            PatchedZap unchanged = patchLeaf(pd, leaf -> { });
            assertThat(Zap.entries(unchanged.dmu(), unchanged.dir(), "ozlegacy object directory"))
                    .containsKeys("root_dataset", "config");
            PatchedZap looped = patchLeaf(pd, leaf -> loopName(leaf, entries(leaf).get(0)));
            assertThatThrownBy(() -> Zap.entries(looped.dmu(), looped.dir(), "ozlegacy object directory"))
                    .isInstanceOf(BootException.InvalidFormat.class)
                    .hasMessageMatching("ozlegacy object directory leaf 1: ZAP array (chain loops back to chunk \\d+|"
                            + "of \\d+ bytes goes on to chunk \\d+)");
        }
    }

    /**
     * Entries chained to themselves (le_next), and the leaf header's old lh_next pointing back to the leaf:
     * the reader lists every chunk of every leaf and follows neither, so nothing changes.
     */
    @Test
    void fatZapEntryAndLeafChainsThatLoopAreNotFollowed() throws Exception {
        try (PoolDisks pd = PoolDisks.open("openzfs-modern", pool("openzfs-modern", "ozlegacy"))) {
            PatchedZap intact = patchLeaf(pd, leaf -> { });
            Map<String, Long> expected = Zap.entries(intact.dmu(), intact.dir(), "ozlegacy object directory");
            PatchedZap looped = patchLeaf(pd, leaf -> {
                int chunks0 = Zap.LEAF_HEADER + leaf.capacity() / 16;
                for (int entry : entries(leaf)) {
                    leaf.putShort(entry + 2, (short) ((entry - chunks0) / Zap.CHUNK));
                }
                leaf.putLong(8, 1);
            });
            assertThat(Zap.entries(looped.dmu(), looped.dir(), "ozlegacy object directory")).isEqualTo(expected);
        }
    }
}
