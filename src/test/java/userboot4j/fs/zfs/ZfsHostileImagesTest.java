package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static userboot4j.testsupport.HostileCli.assertOneLine;
import static userboot4j.testsupport.HostileCli.cli;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Trees;
import userboot4j.testsupport.ZfsFixtures;

/**
 * Hostile ZFS pools through the command line, one per invariant: zfs-fuse's fzsingle, changed by
 * PoolRewrite so that the bad value is what the reader reaches past every checksum, and each command run
 * as HostileCli runs it (its own JVM, a 256 MiB heap, 20 seconds): one line naming what is wrong and a
 * sysexits status.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ZfsHostileImagesTest {
    static final String BE = "fzsingle/ROOT/default";
    static final String LOADER_CONF = "/boot/loader.conf";
    static final Path DIR = Trees.target().resolve("hostile-zfs");

    static PoolRewrite copy(String name) throws Exception {
        Files.createDirectories(DIR);
        return PoolRewrite.copy(ZfsFixtures.unpack("zfs-fuse", "fzsingle-d0.img.xz"), DIR.resolve(name + ".img"));
    }

    /** The object at {@code path} of the boot environment, every symbolic link followed. */
    static long object(PoolRewrite p, String path) throws Exception {
        return new Zpl(p.dsl(), BE).lookup(path).object();
    }

    /** {@code path} of the boot environment, as a device path for the command line. */
    static String at(String path) {
        return "zfs:" + BE + ":" + path;
    }

    /** PoolRewrite itself: a dnode written again unchanged reads as before, under the new uberblock. */
    @Test
    void rewrittenPoolReadsAsBefore() throws Exception {
        try (PoolRewrite p = copy("rewritten")) {
            String before = cli("cat", "-d", p.image().toString(), at(LOADER_CONF)).out();
            long txg = p.txg();
            p.dnode(BE, object(p, LOADER_CONF), d -> { });
            assertThat(p.txg()).isEqualTo(txg + 1);
            Processes.Result r = cli("cat", "-d", p.image().toString(), at(LOADER_CONF));
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).isNotEmpty().isEqualTo(before);
        }
    }

    /** A block pointer whose sizes say 32 MiB: refused by its size, before anything that large is held. */
    @Test
    void blockPointerWithHugeSizes() throws Exception {
        try (PoolRewrite p = copy("huge-bp")) {
            p.dnode(BE, object(p, LOADER_CONF), d -> {
                int prop = DnodePhys.BLKPTR_OFFSET + 48;
                d.putLong(prop, d.getLong(prop) | 0xffffffffL); // lsize and psize: 65536 sectors
            });
            assertOneLine(cli("cat", "-d", p.image().toString(), at(LOADER_CONF)), at(LOADER_CONF),
                    "block size 33554432 is past the 16 MiB limit");
        }
    }

    /** A dnode with 255 block pointers and 255 levels of indirection. */
    @Test
    void dnodeWithAbsurdPointersAndLevels() throws Exception {
        try (PoolRewrite p = copy("absurd-dnode")) {
            p.dnode(BE, object(p, LOADER_CONF), d -> d.put(2, (byte) 255).put(3, (byte) 255));
            assertOneLine(cli("cat", "-d", p.image().toString(), at(LOADER_CONF)), at(LOADER_CONF),
                    "dnode with 255 block pointers", "255 levels");
        }
    }

    /**
     * A fat ZAP directory (a name longer than a micro ZAP holds makes /data one) whose long name's chain of
     * array chunks comes back to its first chunk.
     */
    @Test
    void zapChainThatLoops() throws Exception {
        try (PoolRewrite p = copy("zap-loop")) {
            p.block(BE, object(p, "/data"), 1, leaf -> {
                for (int entry : ZfsHostileBlocksTest.entries(leaf)) {
                    if ((leaf.getShort(entry + 6) & 0xffff) > Zap.ARRAY_BYTES) {
                        ZfsHostileBlocksTest.loopName(leaf, entry);
                    }
                }
            });
            assertOneLine(cli("ls", "-d", p.image().toString(), at("/data")), at("/data"),
                    "ZAP array chain loops back to chunk");
        }
    }

    /**
     * A symbolic link (zfs-fuse keeps its text in the znode's bonus) whose text is its own name: the lookup
     * ends after the loader's 11 links.
     */
    @Test
    void symbolicLinkToItself() throws Exception {
        byte[] name = "link-short".getBytes(StandardCharsets.US_ASCII);
        try (PoolRewrite p = copy("symlink-loop")) {
            Zpl zpl = new Zpl(p.dsl(), BE);
            long link = zpl.entry(zpl.lookup("/data"), "link-short", "/data/link-short").object();
            p.dnode(BE, link, d -> {
                assertThat(d.get(4)).as("bonus type").isEqualTo((byte) Zpl.DMU_OT_ZNODE);
                int bonus = PoolRewrite.bonus(d);
                d.putShort(10, (short) (Zpl.ZNODE_PHYS_SIZE + name.length));
                d.putLong(bonus + Zpl.ZNODE_SIZE, name.length);
                d.put(bonus + Zpl.ZNODE_PHYS_SIZE, name);
            });
            assertOneLine(cli("cat", "-d", p.image().toString(), at("/data/link-short")), at("/data/link-short"),
                    "too many symbolic links");
        }
    }

    /**
     * A gang tree whose headers point to the same header again and again: each of the first five holds
     * three gang members, all the next header, so that the reads would number 3^6; they stop at the
     * header limit.
     */
    @Test
    void gangTreeThatComesBackToItsHeaders() throws Exception {
        try (PoolRewrite p = copy("gang-revisits")) {
            int levels = 6;
            assertOneLine(cli("cat", "-d", gangFile(p, levels, (h, base, like) -> {
                long size = 512L * 729 / (long) Math.pow(3, h);
                byte[] m = Forge.encode(h < levels - 1 ? ZfsGangTest.gangAt(like, base + (h + 1) * 512L, size / 3)
                        : ZfsGangTest.zerosAt(like, base + levels * 512L));
                return new Header(ZfsGangTest.gangAt(like, base + h * 512L, size), new byte[][] {m, m, m});
            }), at(LOADER_CONF)), at(LOADER_CONF), "more than " + Spa.MAX_GANG_HEADERS + " gang headers");
        }
    }

    /**
     * Gang blocks of 16 MiB, each the first member of the one before, one sector smaller: put together one
     * inside the other, forty of them would need 640 MiB at once.
     */
    @Test
    void gangBlocksNestedDeep() throws Exception {
        try (PoolRewrite p = copy("gang-deep")) {
            int n = 40;
            assertOneLine(cli("cat", "-d", gangFile(p, n, (h, base, like) -> {
                long size = Spa.MAX_BLOCK - 512L * h;
                return new Header(ZfsGangTest.gangAt(like, base + h * 512L, size), new byte[][] {
                    Forge.encode(ZfsGangTest.gangAt(like, base + (h + 1) * 512L, size - 512)),
                    Forge.encode(ZfsGangTest.zerosAt(like, base + n * 512L))});
            }), at(LOADER_CONF)), at(LOADER_CONF), "gang blocks nested in one another add up to more than "
                    + Spa.MAX_GANG_BYTES + " bytes");
        }
    }

    /** A gang header: the pointer it is signed for, and the encoded pointers it holds. */
    record Header(Blkptr bp, byte[][] members) {
    }

    /** Gang header {@code h} of those written from {@code base} on, its pointers taking births from {@code like}. */
    interface Headers {
        Header at(int h, long base, Blkptr like);
    }

    /**
     * The image with {@code n} gang headers written to new space, one sector each, then a zero sector, the
     * first header's block now /boot/loader.conf's.
     */
    static String gangFile(PoolRewrite p, int n, Headers headers) throws Exception {
        Blkptr like = new Zpl(p.dsl(), BE).lookup(LOADER_CONF).dnode().blkptr()[0];
        List<Blkptr> bps = new ArrayList<>();
        List<byte[][]> members = new ArrayList<>();
        for (int h = 0; h < n; h++) {
            Header x = headers.at(h, p.free(), like);
            bps.add(x.bp());
            members.add(x.members());
        }
        p.write(ZfsGangTest.headers(bps, members));
        p.write(new byte[512]);
        p.dnode(BE, object(p, LOADER_CONF), d -> d.put(DnodePhys.BLKPTR_OFFSET, Forge.encode(bps.get(0))));
        return p.image().toString();
    }

    /**
     * The labels' nvlist with a pair that claims 2^31 - 1 64-bit elements (pool_guid made an array): the
     * labels check, the count is reached and refused without an array of its size, the labels are passed
     * over and no pool is found; the message says why the first label gave none.
     */
    @Test
    void nvlistWithAHugeArrayCount() throws Exception {
        try (PoolRewrite p = copy("nvlist-count")) {
            p.labels(nv -> {
                byte[] name = "pool_guid".getBytes(StandardCharsets.US_ASCII);
                int at = indexOf(nv, name) + (name.length + 3) / 4 * 4; // the pair's type, after its name
                assertThat(nv.getInt(at)).isEqualTo(NvList.UINT64);
                nv.putInt(at, NvList.UINT64_ARRAY).putInt(at + 4, Integer.MAX_VALUE);
            });
            byte[] phys = new byte[VdevLabel.PHYS_SIZE]; // label 0's, as a reader meets it
            try (FileChannel c = FileChannel.open(p.image())) {
                c.read(ByteBuffer.wrap(phys), VdevLabel.PHYS_OFFSET);
            }
            assertThat(VdevLabel.verify(phys, VdevLabel.PHYS_OFFSET)).isTrue();
            assertThatThrownBy(() -> NvList.unpack(Arrays.copyOf(phys, phys.length - VdevLabel.ECK_SIZE), "label 0"))
                    .hasMessageContaining("pair 'pool_guid' claims 2147483647 elements");
            Processes.Result r = cli("ls", "-d", p.image().toString(), at("/"));
            assertThat(r.status()).as(r.err()).isEqualTo(userboot4j.Sysexits.EX_NOINPUT);
            assertThat(r.err()).startsWith("userboot4j: zfs:fzsingle/ROOT/default: device not configured (zfs:fzsingle: "
                    + "no such pool on the given disks (disk0: ZFS label 0 at offset 0x0: ")
                    .contains("pair 'pool_guid' claims 2147483647 elements").endsWith("))\n").hasLineCount(1);
        }
    }

    private static int indexOf(ByteBuffer b, byte[] what) {
        for (int i = 0; i + what.length <= b.limit(); i++) {
            if (b.slice(i, what.length).equals(ByteBuffer.wrap(what))) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    /**
     * Dataset directories that are each other's parent and child: ROOT's parent is ROOT/default, whose
     * child-directory ZAP is the pool's (naming ROOT). Finding the name of the bootfs dataset walks up
     * from ROOT/default and goes round until the name would be longer than any dataset's.
     */
    @Test
    void datasetDirectoriesInACycle() throws Exception {
        try (PoolRewrite p = copy("dsl-cycle")) {
            long def = p.dsl().dir(BE);
            long root = p.dsl().dir("fzsingle/ROOT");
            long poolChildren = bonusWord(p, p.dsl().dir("fzsingle"), Dsl.DD_CHILD_DIR_ZAPOBJ);
            p.dnode(null, root, d -> d.putLong(PoolRewrite.bonus(d) + Dsl.DD_PARENT_OBJ, def));
            p.dnode(null, def, d -> d.putLong(PoolRewrite.bonus(d) + Dsl.DD_CHILD_DIR_ZAPOBJ, poolChildren));
            assertOneLine(cli("ls", "-d", p.image().toString(), "/"), "fzsingle: dataset object",
                    "dataset directories loop");
        }
    }

    private static long bonusWord(PoolRewrite p, long mosObject, int at) throws Exception {
        Dmu dmu = p.dsl().dmu();
        return Dsl.bonusWord(dmu.dnode(dmu.objset(p.rootbp(), "MOS"), mosObject, "MOS"), at, "MOS");
    }
}
