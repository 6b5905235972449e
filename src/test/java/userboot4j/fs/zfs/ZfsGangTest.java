package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import userboot4j.BootException;
import userboot4j.disk.DiskImage;
import userboot4j.disk.Volume;
import userboot4j.testsupport.Processes;

/**
 * Gang blocks as zfs-fuse writes them when no free space is left for a whole block: a pool on one 128 MiB
 * disk is filled with 64 KiB files, every other one is deleted (leaving 64 KiB holes), then a file of
 * 128 KiB records is written until the pool is full, its last records ganged into the holes. zdb lists the
 * gang block pointers; the file reads back as written, also with the first copy of each gang header
 * damaged (zfs-fuse stores gang headers twice). Gang headers made by hand over the same pool test the
 * limits: a bad checksum, a member that is its own block, a chain of headers too deep.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ZfsGangTest {
    static final int RECORD = 128 << 10;
    static ZfsFusePool pool;
    static DiskImage disk;
    static long written;
    /** The first DVA of every gang block pointer of the big file, from zdb. */
    static List<Long> gangOffsets = new ArrayList<>();

    /** Record {@code i} of the big file. */
    static byte[] record(int i) {
        byte[] r = new byte[RECORD];
        new Random(i).nextBytes(r);
        return r;
    }

    @BeforeAll
    static void makePool() throws Exception {
        pool = ZfsFusePool.create("", 1, 128 << 20, "compression=off", "atime=off", "recordsize=64k");
        Path mnt = pool.mountpoint();
        byte[] filler = new byte[64 << 10];
        new Random(0).nextBytes(filler);
        int files = 0;
        for (int fails = 0; fails < 3; ) {
            try {
                Files.write(mnt.resolve("f" + files), filler);
                files++;
            } catch (IOException e) {
                fails++; // out of space; what is still being written may free up reservations
                Processes.run(List.of("sync"), null);
            }
        }
        for (int f = 0; f < files; f += 2) {
            Files.delete(mnt.resolve("f" + f));
        }
        for (int i = 0; i < 3; i++) {
            Processes.run(List.of("sync"), null); // freed space is reusable two transaction groups later
        }
        pool.zfs("set", "recordsize=128k", pool.name());
        Path big = mnt.resolve("big");
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; ; i++) {
                out.write(record(i));
            }
        } catch (IOException e) {
            // the pool is full
        }
        written = Files.size(big);
        pool.export();
        Matcher m = Pattern.compile("DVA\\[0\\]=<0:([0-9a-f]+):[0-9a-f]+> .*\\[L0 ZFS plain file\\].* gang ")
                .matcher(pool.zdb("-bbbb"));
        while (m.find()) {
            gangOffsets.add(Long.parseLong(m.group(1), 16));
        }
        disk = DiskImage.open(pool.disks().get(0), 0);
    }

    @AfterAll
    static void dropPool() throws Exception {
        if (disk != null) {
            disk.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    /** The big file as read through {@code disks}. */
    static byte[] readBig(List<Volume> disks) throws Exception {
        Zpl zpl = new Zpl(new Dsl(new Spa(ZfsPools.discover(disks).get(0))), pool.name());
        return zpl.read(zpl.lookup("/big"), 1L << 30, "/big");
    }

    static void assertIsTheBigFile(byte[] data) {
        assertThat((long) data.length).isEqualTo(written).isGreaterThan(RECORD);
        for (int i = 0; (long) i * RECORD < written; i++) {
            byte[] expected = record(i);
            int n = (int) Math.min(RECORD, written - (long) i * RECORD);
            assertThat(java.util.Arrays.copyOfRange(data, i * RECORD, i * RECORD + n)).as("record %d", i)
                    .isEqualTo(java.util.Arrays.copyOf(expected, n));
        }
    }

    @Test
    void gangBlocksReadBack() throws Exception {
        assertThat(gangOffsets).as("gang block pointers zdb lists for the big file").isNotEmpty();
        assertIsTheBigFile(readBig(List.of(disk)));
    }

    /**
     * A gang block of the big file moved to ZfsFuzzTest.gangTree's layout (its pointer, then its header and
     * members from the start of the space, every pointer to its first copy only) reads back as its record:
     * the target's re-signing keeps a real tree whole, and such a tree is the target's seed.
     */
    @Test
    void gangBlockInTheFuzzTargetsLayoutReadsBack() throws Exception {
        Dsl dsl = new Dsl(new Spa(ZfsPools.discover(List.of(disk)).get(0)));
        DnodePhys big = new Zpl(dsl, pool.name()).lookup("/big").dnode();
        for (int blk = 0; blk <= big.maxblkid(); blk++) {
            List<Dmu.Step> path = dsl.dmu().path(big, blk, "/big");
            Blkptr bp = path.get(path.size() - 1).bp();
            if (bp.dvas()[0].gang()) {
                byte[] input = fuzzInput(bp);
                assertThat(ZfsFuzzTest.readGangTree(input)).isEqualTo(record(blk));
                return;
            }
        }
        throw new AssertionError("no gang block in the big file");
    }

    /** {@code bp}, a gang block of one level, as ZfsFuzzTest.gangTree's input. */
    static byte[] fuzzInput(Blkptr bp) throws Exception {
        byte[] header = disk.read(Spa.LABEL_START + bp.dvas()[0].offset(), Spa.GANG_HEADER_SIZE).array();
        java.io.ByteArrayOutputStream members = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < Spa.GBH_NBLKPTRS; i++) {
            Blkptr m = Blkptr.decode(header, i * Blkptr.SIZE, VdevLabel.eckOrder(header), "header");
            if (!m.isHole()) {
                assertThat(m.dvas()[0].gang()).as("member %d is a gang block", i).isFalse();
                long at = Spa.GANG_HEADER_SIZE + members.size();
                members.writeBytes(disk.read(Spa.LABEL_START + m.dvas()[0].offset(), (int) m.psize()).array());
                System.arraycopy(Forge.encode(firstCopyAt(m, at, false)), 0, header, i * Blkptr.SIZE, Blkptr.SIZE);
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(Forge.encode(firstCopyAt(bp, 0, true)));
        out.writeBytes(header);
        out.writeBytes(members.toByteArray());
        return out.toByteArray();
    }

    /** {@code bp} with one DVA, at {@code offset}. */
    private static Blkptr firstCopyAt(Blkptr bp, long offset, boolean gang) {
        Blkptr.Dva d = bp.dvas()[0];
        return bp.with(new Blkptr.Dva[] {new Blkptr.Dva(0, offset, d.asize(), gang), Blkptr.EMPTY, Blkptr.EMPTY},
                bp.lsize(), bp.psize(), bp.compress(), bp.checksum(), bp.cksum());
    }

    /** {@code v} with one byte of the 512-byte block at each of {@code offsets} inverted. */
    static Volume damaged(Volume v, List<Long> offsets) throws BootException {
        for (long o : offsets) {
            long at = Spa.LABEL_START + o + 100;
            v = new Overlay(v, at, new byte[] {(byte) ~v.read(at, 1).get(0)});
        }
        return v;
    }

    @Test
    void damagedGangHeaderIsReadFromItsSecondCopy() throws Exception {
        assertIsTheBigFile(readBig(List.of(damaged(disk, gangOffsets))));
    }

    /** Where the hand-made headers go: past the end of what the pool's 128 MiB disk allocates. */
    static final long SPARE = 100L << 20;

    /** The pool's root block pointer, whose type and births the hand-made pointers take. */
    static Blkptr rootbp() throws BootException {
        return ZfsPools.discover(List.of(disk)).get(0).uberblock().rootbp();
    }

    /** A gang block pointer to a header at {@code offset} for a block of {@code psize} bytes. */
    static Blkptr gangAt(Blkptr like, long offset, long psize) {
        Blkptr.Dva none = new Blkptr.Dva(0, 0, 0, false);
        return like.with(new Blkptr.Dva[] {new Blkptr.Dva(0, offset, 512, true), none, none}, psize, psize,
                ZioCompress.OFF, ZioChecksum.FLETCHER_4, new long[4]);
    }

    /** A pointer to 512 bytes at {@code offset} that must be zeros (their fletcher4 is zero). */
    static Blkptr zerosAt(Blkptr like, long offset) {
        Blkptr.Dva none = new Blkptr.Dva(0, 0, 0, false);
        return like.with(new Blkptr.Dva[] {new Blkptr.Dva(0, offset, 512, false), none, none}, 512, 512,
                ZioCompress.OFF, ZioChecksum.FLETCHER_4, new long[4]);
    }

    /**
     * Gang headers, one for each pointer of {@code bps}, one after another: header h holds the encoded
     * pointers {@code members.get(h)} and is signed for {@code bps.get(h)}.
     */
    static byte[] headers(List<Blkptr> bps, List<byte[][]> members) {
        byte[] region = new byte[bps.size() * 512];
        for (int h = 0; h < bps.size(); h++) {
            for (int i = 0; i < members.get(h).length; i++) {
                System.arraycopy(members.get(h)[i], 0, region, h * 512 + i * Blkptr.SIZE, Blkptr.SIZE);
            }
            Blkptr.Dva id = bps.get(h).dvas()[0];
            Forge.signEck(region, h * 512, 512, ByteOrder.LITTLE_ENDIAN, id.vdev(), id.offset(),
                    bps.get(h).physicalBirth());
        }
        return region;
    }

    /** The disk with {@link #headers} from {@link #SPARE} on. */
    static Volume withHeaders(List<Blkptr> bps, List<byte[][]> members) {
        return new Overlay(disk, Spa.LABEL_START + SPARE, headers(bps, members));
    }

    @Test
    void gangHeaderWithABadChecksumIsRefused() throws Exception {
        Blkptr bp = gangAt(rootbp(), SPARE, 1024);
        Volume v = withHeaders(List.of(bp), List.<byte[][]>of(new byte[][] {}));
        Spa spa = new Spa(ZfsPools.discover(List.of(damaged(v, List.of(SPARE)))).get(0));
        assertThatThrownBy(() -> spa.read(bp, "hand-made"))
                .isInstanceOf(BootException.InvalidFormat.class)
                .hasMessageMatching("hand-made \\(disk0 offset 0x[0-9a-f]+\\): gang header checksum mismatch");
    }

    @Test
    void gangMemberThatIsItsOwnBlockIsRefused() throws Exception {
        Blkptr bp = gangAt(rootbp(), SPARE, 1024);
        ZfsPools.Pool p = ZfsPools.discover(List.of(withHeaders(List.of(bp),
                List.<byte[][]>of(new byte[][] {Forge.encode(bp)})))).get(0);
        assertThatThrownBy(() -> new Spa(p).read(bp, "hand-made"))
                .isInstanceOf(BootException.InvalidFormat.class)
                .hasMessage("hand-made: gang member 0 of 1024 bytes does not fit in its block of 1024 (0 used)");
    }

    /**
     * A chain of headers, each with a 512-byte data member (zeros, whose fletcher4 is zero) and a gang
     * member one sector smaller than itself whose header is the next: the read stops at the header limit.
     */
    @Test
    void gangChainPastTheHeaderLimitIsRefused() throws Exception {
        Blkptr like = rootbp();
        int n = Spa.MAX_GANG_HEADERS + 1;
        long zeros = SPARE + (long) n * 512;
        byte[] data = Forge.encode(zerosAt(like, zeros));
        List<Blkptr> bps = new ArrayList<>();
        List<byte[][]> members = new ArrayList<>();
        for (int h = 0; h < n; h++) {
            bps.add(gangAt(like, SPARE + h * 512L, 512L * (n + 2 - h)));
        }
        for (int h = 0; h < n; h++) {
            Blkptr next = gangAt(like, SPARE + (h + 1) * 512L, 512L * (n + 1 - h));
            members.add(new byte[][] {data, Forge.encode(next)});
        }
        ZfsPools.Pool p = ZfsPools.discover(List.of(new Overlay(withHeaders(bps, members), Spa.LABEL_START + zeros,
                new byte[512]))).get(0);
        long start = System.nanoTime();
        assertThatThrownBy(() -> new Spa(p).read(bps.get(0), "hand-made"))
                .isInstanceOf(BootException.InvalidFormat.class)
                .hasMessage("hand-made: more than " + Spa.MAX_GANG_HEADERS + " gang headers");
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
    }
}
