package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import userboot4j.BootException;
import userboot4j.disk.Volume;
import userboot4j.fuzz.Hostile;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Trees;
import userboot4j.testsupport.ZfsFixtures;

/**
 * The ZFS parsers that read guest bytes whatever their checksums say (a guest can write valid ones):
 * nvlists (labels, packed configs), each decompressor with lying sizes, object trees, and the RAID-Z
 * column map for every geometry Spa accepts; and, with the embedded checksums the guest would write
 * made good by the target, labels with their uberblocks, ZAP objects and gang trees. Only a one-line
 * BootException may come out.
 */
class ZfsFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void nvlist(byte[] packed) {
        try {
            NvList.unpack(packed, "fuzz");
        } catch (BootException e) {
            Hostile.check(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void decompress(FuzzedDataProvider data) {
        int type = data.consumeInt(0, 20);
        int lsize = data.consumeInt(0, 1 << 20);
        byte[] src = data.consumeRemainingAsBytes();
        try {
            byte[] out = ZioCompress.decompress(type, src, lsize, "fuzz");
            if (out.length != lsize) {
                throw new AssertionError("decompressed " + out.length + " bytes, not " + lsize);
            }
        } catch (BootException e) {
            Hostile.check(e);
        }
    }

    /**
     * Object trees below the checksums, which a guest can forge: the input's first 512 bytes are a dnode
     * whose block pointers (checksum and compression types included) the fuzzer writes, the rest is the
     * allocatable space of a one-disk pool they point into. Its blocks are read through every indirection
     * level and the object listed as a ZAP, as directories and the MOS are.
     */
    @FuzzTest(maxDuration = "10m")
    void objectTree(byte[] data) {
        if (data.length < DnodePhys.SIZE) {
            return;
        }
        try {
            Spa spa = new Spa(onePool(data));
            Dmu dmu = new Dmu(spa);
            DnodePhys dn = DnodePhys.decode(data, 0, ByteOrder.LITTLE_ENDIAN, "fuzz");
            for (long blk = 0; blk < 4; blk++) {
                dmu.block(dn, blk, "fuzz");
            }
            Zap.entries(dmu, dn, "fuzz");
        } catch (BootException e) {
            Hostile.check(e);
        }
    }

    /** The seed of objectTree reaches the ZAP: the harness reads what a fuzzed tree would be read through. */
    @Test
    void objectTreeSeedIsAMicroZap() throws Exception {
        byte[] seed = resource("objectTree/micro-zap");
        Dmu dmu = new Dmu(new Spa(onePool(seed)));
        DnodePhys dn = DnodePhys.decode(seed, 0, ByteOrder.LITTLE_ENDIAN, "seed");
        assertThat(Zap.entries(dmu, dn, "seed")).containsOnlyKeys("boot", "kernel", "loader.conf");
    }

    /**
     * A device's label behind its embedded checksums, which a guest can forge: the input is label 0's
     * vdev_phys nvlist, its boot-environment block and its uberblock ring (two big-endian 16-bit lengths
     * for the first two, then the sections), each signed here for where it lies, the ring's slots where an
     * uberblock's magic stands with the slot size the nvlist's ashift gives. Discovery then runs as on a
     * real disk: label and uberblock selection, the vdev tree, the bootonce block, and the MOS read through
     * the chosen root block pointer (on a device that holds nothing else).
     */
    @FuzzTest(maxDuration = "10m")
    void label(byte[] data) {
        Volume v = Hostile.volume(signedLabel(data), 0, VdevLabel.MIN_DEVICE);
        try {
            for (ZfsPools.Pool p : ZfsPools.discover(List.of(v))) {
                p.missing();
                ZfsBoot.bootonce(p);
                ZfsBoot.refusals(p, new Dsl(new Spa(p)));
            }
        } catch (BootException e) {
            Hostile.check(e);
        }
    }

    /** Label 0 laid out from {@link #label}'s input, its checksums made good. */
    static byte[] signedLabel(byte[] data) {
        byte[] label = new byte[VdevLabel.LABEL_SIZE];
        if (data.length < 4) {
            return label;
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        int at = 4;
        at += place(data, at, in.getShort(0) & 0xffff, label, VdevLabel.PHYS_OFFSET, VdevLabel.PHYS_SIZE);
        at += place(data, at, in.getShort(2) & 0xffff, label, VdevLabel.BOOTENV_OFFSET, VdevLabel.BOOTENV_SIZE);
        place(data, at, VdevLabel.RING_SIZE, label, VdevLabel.RING_OFFSET, VdevLabel.RING_SIZE);
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        Forge.signEck(label, VdevLabel.PHYS_OFFSET, VdevLabel.PHYS_SIZE, le, VdevLabel.PHYS_OFFSET);
        Forge.signEck(label, VdevLabel.BOOTENV_OFFSET, VdevLabel.BOOTENV_SIZE, le, VdevLabel.BOOTENV_OFFSET);
        int slot;
        try {
            slot = VdevLabel.ringSlot(NvList.unpack(Arrays.copyOfRange(label, VdevLabel.PHYS_OFFSET,
                    VdevLabel.PHYS_OFFSET + VdevLabel.PHYS_SIZE - VdevLabel.ECK_SIZE), "fuzz"));
        } catch (BootException e) {
            return label; // a label whose nvlist does not decode is passed over, ring and all
        }
        ByteBuffer b = ByteBuffer.wrap(label).order(le);
        for (int off = VdevLabel.RING_OFFSET; off < VdevLabel.LABEL_SIZE; off += slot) {
            long magic = b.getLong(off);
            if (magic == VdevLabel.Uberblock.MAGIC || magic == Long.reverseBytes(VdevLabel.Uberblock.MAGIC)) {
                Forge.signEck(label, off, slot, magic == VdevLabel.Uberblock.MAGIC ? le
                        : ByteOrder.BIG_ENDIAN, off);
            }
        }
        return label;
    }

    /**
     * Copies up to {@code len} bytes of {@code data} from {@code at} (no more than there are, nor than
     * the block holds before its checksum) to the block at {@code to} of {@code label}; returns the count.
     */
    private static int place(byte[] data, int at, int len, byte[] label, int to, int block) {
        int n = Math.max(0, Math.min(Math.min(len, block - VdevLabel.ECK_SIZE), data.length - at));
        System.arraycopy(data, at, label, to, n);
        return n;
    }

    /**
     * {@link #label}'s input for a real label: its nvlist and boot-environment block without their zero
     * tails, then the ring's first {@code ring} bytes.
     */
    static byte[] labelInput(byte[] label, int ring) {
        byte[] nv = withoutZeroTail(label, VdevLabel.PHYS_OFFSET, VdevLabel.PHYS_SIZE - VdevLabel.ECK_SIZE);
        byte[] be = withoutZeroTail(label, VdevLabel.BOOTENV_OFFSET, VdevLabel.BOOTENV_SIZE - VdevLabel.ECK_SIZE);
        return ByteBuffer.allocate(4 + nv.length + be.length + ring).putShort((short) nv.length)
                .putShort((short) be.length).put(nv).put(be).put(label, VdevLabel.RING_OFFSET, ring).array();
    }

    private static byte[] withoutZeroTail(byte[] b, int from, int len) {
        int end = from + len;
        while (end > from && b[end - 1] == 0) {
            end--;
        }
        return Arrays.copyOfRange(b, from, end);
    }

    /**
     * The label seeds are label 0 of real pools, the ring's first slots kept: a zfs-fuse mirror, the
     * OpenZFS 2.1 raidz1 of the bootable corpus (4 KiB slots), and zfs-fuse's single disk with a bootonce
     * block as fixtures/zfs/set-bootonce.py writes it; each is found by the harness.
     */
    @Test
    void labelSeedsAreRealLabels() throws Exception {
        Path once = Trees.target().resolve("bootonce-front.img");
        try (InputStream in = Files.newInputStream(ZfsFixtures.unpack("zfs-fuse", "fzsingle-d0.img.xz"))) {
            Files.write(once, in.readNBytes(2 * VdevLabel.LABEL_SIZE));
        }
        Processes.run(List.of("python3", "fixtures/zfs/set-bootonce.py", "zfs:fzsingle/ROOT/alt:", once.toString()),
                null);
        record Seed(String name, Path disk, int ring, String pool) {
        }
        for (Seed seed : List.of(
                new Seed("zfs-fuse-mirror", ZfsFixtures.unpack("zfs-fuse", "fzmirror-d0.img.xz"), 8 << 10, "fzmirror"),
                new Seed("openzfs-raidz1", ZfsFixtures.fbzmodern().get(0), 16 << 10, "fbzmodern"),
                new Seed("zfs-fuse-bootonce", once, 8 << 10, "fzsingle"))) {
            byte[] label = new byte[VdevLabel.LABEL_SIZE];
            try (InputStream in = Files.newInputStream(seed.disk())) {
                in.readNBytes(label, 0, label.length);
            }
            byte[] input = labelInput(label, seed.ring());
            assertThat(resource("label/" + seed.name())).as(seed.name()).isEqualTo(input);
            Volume v = Hostile.volume(signedLabel(input), 0, VdevLabel.MIN_DEVICE);
            List<ZfsPools.Pool> pools = ZfsPools.discover(List.of(v));
            assertThat(pools).singleElement().extracting(ZfsPools.Pool::name).isEqualTo(seed.pool());
            assertThat(pools.get(0).uberblock()).as(seed.name()).isNotNull();
        }
        assertThat(VdevLabel.bootonce(Hostile.volume(signedLabel(resource("label/zfs-fuse-bootonce")), 0,
                VdevLabel.MIN_DEVICE))).isEqualTo("zfs:fzsingle/ROOT/alt:");
    }

    /**
     * ZAP objects below their checksums: the input's first byte gives the block size (2^(9 + byte % 9)),
     * the rest is the object's blocks, a micro ZAP or a fat ZAP's header and leaves, reached through one
     * indirect block of pointers with neither checksum nor compression. They are listed as directories and
     * the MOS object directory are.
     */
    @FuzzTest(maxDuration = "10m")
    void zap(byte[] data) {
        try {
            Zap.arrays(new Dmu(new Spa(onePool(zapSpace(data)))), zapDnode(data), "fuzz");
        } catch (BootException e) {
            Hostile.check(e);
        }
    }

    /** {@link #zap}'s indirect block, and the pointers it holds: the object's blocks are at most this many. */
    static final int ZAP_INDIRECT = 16 << 10;
    static final int ZAP_BLOCKS = ZAP_INDIRECT / Blkptr.SIZE;

    /** DMU_OT_DIRECTORY_CONTENTS, the type of a ZPL directory's ZAP. */
    static final int ZAP_OT_DIRECTORY = 20;

    private static int zapBlockSize(byte[] data) {
        return data.length == 0 ? 512 : 1 << (9 + (data[0] & 0xff) % 9);
    }

    private static int zapBlocks(byte[] data) {
        int bs = zapBlockSize(data);
        return Math.max(1, Math.min(ZAP_BLOCKS, (data.length - 1 + bs - 1) / bs));
    }

    /** The pool space of {@link #zap}: the indirect block, then the object's blocks. */
    static byte[] zapSpace(byte[] data) {
        int bs = zapBlockSize(data);
        byte[] space = new byte[ZAP_INDIRECT + zapBlocks(data) * bs];
        int n = Math.min(Math.max(0, data.length - 1), space.length - ZAP_INDIRECT);
        System.arraycopy(data, Math.min(1, data.length), space, ZAP_INDIRECT, n);
        for (int i = 0; i < zapBlocks(data); i++) {
            System.arraycopy(Forge.encode(plain(ZAP_INDIRECT + (long) i * bs, bs, 0)), 0, space, i * Blkptr.SIZE,
                    Blkptr.SIZE);
        }
        return space;
    }

    /** The ZAP object's dnode: two levels, the indirect block at the start of the space. */
    static DnodePhys zapDnode(byte[] data) {
        return new DnodePhys(ZAP_OT_DIRECTORY, 14, 2, new Blkptr[] {plain(0, ZAP_INDIRECT, 1)}, 0,
                zapBlockSize(data) >> 9, new byte[0], zapBlocks(data) - 1, ByteOrder.LITTLE_ENDIAN, null);
    }

    /**
     * {@link #zap}'s input for a real ZAP object: its block size, then its blocks (the object's own byte
     * order must be little-endian, as the harness's pointers say).
     */
    static byte[] zapInput(Dmu dmu, DnodePhys dn) throws BootException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.numberOfTrailingZeros(dn.blockSize()) - 9);
        for (long blk = 0; blk <= dn.maxblkid(); blk++) {
            out.writeBytes(dmu.block(dn, blk, "seed").bytes());
        }
        return out.toByteArray();
    }

    /**
     * The ZAP seeds are real ZAP objects, which the harness lists as their pools do: a micro ZAP directory
     * of zfs-fuse's, and the fat ZAP object directory of OpenZFS 2.1's pool without features.
     */
    @Test
    void zapSeedsAreRealZaps() throws Exception {
        try (PoolDisks pd = PoolDisks.open("zfs-fuse", PoolDisks.pool("zfs-fuse", "fzsingle"))) {
            Dsl dsl = new Dsl(new Spa(ZfsPools.discover(pd.volumes()).get(0)));
            Zpl.Znode few = new Zpl(dsl, "fzsingle/ROOT/default").lookup("/data/few");
            checkZapSeed("micro-zap-directory", dsl.dmu(), few.dnode());
        }
        try (PoolDisks pd = PoolDisks.open("openzfs-modern", PoolDisks.pool("openzfs-modern", "ozlegacy"))) {
            ZfsPools.Pool p = ZfsPools.discover(pd.volumes()).get(0);
            Dmu dmu = new Dmu(new Spa(p));
            checkZapSeed("fat-zap-object-directory", dmu, dmu.dnode(dmu.objset(p.uberblock().rootbp(), "MOS"), 1,
                    "MOS"));
        }
    }

    private void checkZapSeed(String name, Dmu dmu, DnodePhys dn) throws Exception {
        byte[] input = zapInput(dmu, dn);
        assertThat(resource("zap/" + name)).as(name).isEqualTo(input);
        assertThat(Zap.entries(new Dmu(new Spa(onePool(zapSpace(input)))),
                zapDnode(input), "seed")).as(name).isNotEmpty().isEqualTo(Zap.entries(dmu, dn, name));
    }

    /**
     * Gang trees below their checksums: the input is a block pointer, then the allocatable space of a
     * one-disk pool. Every 512-byte sector of it that ends in an embedded-checksum magic is taken for a gang
     * header: its block pointers and the root are given one birth txg and it is signed for where it lies
     * (vdev 0, its offset, that txg), as a pointer to it would have it, so that the tree walk behind the
     * checksums is fuzzed: members that are gang blocks, loops, sizes that do not add up.
     */
    @FuzzTest(maxDuration = "10m")
    void gangTree(byte[] data) {
        try {
            readGangTree(data);
        } catch (BootException e) {
            Hostile.check(e);
        }
    }

    static final long GANG_BIRTH = 7;

    /** What {@link #gangTree} reads from its input. */
    static byte[] readGangTree(byte[] data) throws BootException {
        if (data.length < Blkptr.SIZE) {
            return null;
        }
        byte[] root = Arrays.copyOf(data, Blkptr.SIZE);
        ByteBuffer.wrap(root).order(ByteOrder.LITTLE_ENDIAN).putLong(72, GANG_BIRTH);
        byte[] space = Arrays.copyOfRange(data, Blkptr.SIZE, data.length);
        for (int off = 0; off + Spa.GANG_HEADER_SIZE <= space.length; off += Spa.GANG_HEADER_SIZE) {
            ByteOrder order = VdevLabel.eckOrder(Arrays.copyOfRange(space, off, off + Spa.GANG_HEADER_SIZE));
            if (order != null) {
                for (int i = 0; i < Spa.GBH_NBLKPTRS; i++) {
                    ByteBuffer.wrap(space).order(order).putLong(off + i * Blkptr.SIZE + 72, GANG_BIRTH);
                }
                Forge.signEck(space, off, Spa.GANG_HEADER_SIZE, order, 0, off, GANG_BIRTH);
            }
        }
        return new Spa(onePool(space)).read(Blkptr.decode(root, 0, ByteOrder.LITTLE_ENDIAN, "fuzz"), "fuzz");
    }

    /**
     * A hand-made gang tree of 1.5 KiB whose second member is a gang block of its own: the root's header
     * (sector 0) holds a 512-byte data member (sector 1) and a 1 KiB gang member whose header (sector 2)
     * holds two data members (sectors 3 and 4). Only the headers have checksums, which the target signs.
     */
    static byte[] nestedGangInput() {
        int s = Spa.GANG_HEADER_SIZE;
        ByteBuffer in = ByteBuffer.allocate(Blkptr.SIZE + 5 * s).order(
                ByteOrder.LITTLE_ENDIAN);
        in.put(Forge.encode(gang(0, 3 * s)));
        in.put(Forge.encode(plain(s, s, 0))).put(Forge.encode(gang(2L * s, 2 * s)));
        in.putLong(Blkptr.SIZE + s - VdevLabel.ECK_SIZE, VdevLabel.ECK_MAGIC);
        Arrays.fill(in.array(), Blkptr.SIZE + s, Blkptr.SIZE + 2 * s, (byte) 'a');
        in.position(Blkptr.SIZE + 2 * s).put(Forge.encode(plain(3L * s, s, 0))).put(Forge.encode(plain(4L * s, s, 0)));
        in.putLong(Blkptr.SIZE + 3 * s - VdevLabel.ECK_SIZE, VdevLabel.ECK_MAGIC);
        Arrays.fill(in.array(), Blkptr.SIZE + 3 * s, Blkptr.SIZE + 4 * s, (byte) 'b');
        Arrays.fill(in.array(), Blkptr.SIZE + 4 * s, Blkptr.SIZE + 5 * s, (byte) 'c');
        return in.array();
    }

    /**
     * The gang-tree seeds read back whole: a gang block of zfs-fuse's (from ZfsGangTest's pool, moved to the
     * front of the space; it checks against its own fletcher4), and the hand-made nested tree.
     */
    @Test
    void gangTreeSeedsReadBack() throws Exception {
        assertThat(readGangTree(resource("gangTree/zfs-fuse-gang-block"))).hasSize(128 << 10);
        byte[] nested = nestedGangInput();
        assertThat(resource("gangTree/nested")).isEqualTo(nested);
        assertThat(new String(readGangTree(nested), StandardCharsets.US_ASCII))
                .isEqualTo("a".repeat(512) + "b".repeat(512) + "c".repeat(512));
    }

    /** A pointer of level {@code level} to {@code size} bytes at {@code offset} of vdev 0, unchecked and raw. */
    static Blkptr plain(long offset, int size, int level) {
        return pointer(new Blkptr.Dva(0, offset, size, false), size, level);
    }

    /** A pointer to a gang block of {@code size} bytes whose header is at {@code offset}, unchecked. */
    static Blkptr gang(long offset, int size) {
        return pointer(new Blkptr.Dva(0, offset, Spa.GANG_HEADER_SIZE, true), size, 0);
    }

    private static Blkptr pointer(Blkptr.Dva dva, int size, int level) {
        return new Blkptr(new Blkptr.Dva[] {dva, Blkptr.EMPTY, Blkptr.EMPTY}, size, size, ZioCompress.OFF,
                ZioChecksum.OFF, 0, level, true, false, 0, 1, 1, new long[4], null);
    }

    private byte[] resource(String name) throws java.io.IOException {
        try (InputStream in = getClass().getResourceAsStream("ZfsFuzzTestInputs/" + name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** A pool of one disk vdev (guid 1) whose allocatable space, after its 4 MiB of labels, begins with {@code data}. */
    static ZfsPools.Pool onePool(byte[] data) throws BootException {
        ByteArrayOutputStream x = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(256);
        b.put(new byte[] {1, 1, 0, 0}).putInt(0).putInt(1);
        xdrPair(b, "type", 9, "disk".getBytes(StandardCharsets.US_ASCII));
        xdrPair(b, "guid", 8, ByteBuffer.allocate(8).putLong(1).array());
        b.putInt(0).putInt(0);
        x.write(b.array(), 0, b.position());
        NvList disk = NvList.unpack(x.toByteArray(), "fuzz vdev");
        // the allocatable space ends where the two back labels begin, on a device of whole labels
        int label = VdevLabel.LABEL_SIZE;
        byte[] space = Arrays.copyOf(data, (data.length + label - 1) / label * label + 2 * label);
        Volume device = Hostile.volume(space, Spa.LABEL_START);
        return new ZfsPools.Pool("fuzz", 7, disk, java.util.Map.of(0L, disk), java.util.Map.of(1L, device), null);
    }

    /** One nvpair in XDR: sizes, name, type, one element, value (strings with their length, padded to 4). */
    private static void xdrPair(ByteBuffer b, String name, int type, byte[] value) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        int nameLen = 4 + (n.length + 3) / 4 * 4;
        int valueLen = type == 9 ? 4 + (value.length + 3) / 4 * 4 : value.length;
        b.putInt(8 + nameLen + 8 + valueLen).putInt(0);
        b.putInt(n.length).put(n).put(new byte[nameLen - 4 - n.length]);
        b.putInt(type).putInt(1);
        if (type == 9) {
            b.putInt(value.length).put(value).put(new byte[valueLen - 4 - value.length]);
        } else {
            b.put(value);
        }
    }

    /**
     * RAID-Z reconstruction: random data columns (the first ones possibly a byte longer, as in a map), their
     * P, Q and R computed here from the definition (data column j weighted by 2^(row·(n-1-j)) over
     * GF(2^8)), then up to nparity data columns lost and rebuilt from any choice of parity rows: the
     * rebuilt columns must be the lost ones.
     */
    @FuzzTest(maxDuration = "10m")
    void raidzReconstruct(FuzzedDataProvider data) throws BootException {
        int nparity = data.consumeInt(1, 3);
        int ndata = data.consumeInt(1, 8);
        int len = data.consumeInt(1, 64);
        int longer = data.consumeInt(0, ndata);
        int cols = nparity + ndata;
        int[] size = new int[cols];
        byte[][] col = new byte[cols][];
        for (int c = nparity; c < cols; c++) {
            size[c] = len + (c - nparity < longer ? 1 : 0);
            col[c] = data.consumeBytes(size[c]);
            col[c] = Arrays.copyOf(col[c], size[c]);
        }
        for (int row = 0; row < nparity; row++) {
            size[row] = len + (longer > 0 ? 1 : 0);
            col[row] = new byte[size[row]];
            for (int j = 0; j < ndata; j++) {
                int w = RaidzParity.coefficient(row, j, ndata);
                for (int i = 0; i < col[nparity + j].length; i++) {
                    col[row][i] ^= (byte) RaidzParity.mul(w, col[nparity + j][i] & 0xff);
                }
            }
        }
        int k = data.consumeInt(1, Math.min(nparity, ndata));
        java.util.Random pick = new java.util.Random(data.consumeLong());
        List<Integer> dataCols = new java.util.ArrayList<>();
        for (int c = nparity; c < cols; c++) {
            dataCols.add(c);
        }
        List<Integer> parityRows = new java.util.ArrayList<>(List.of(0, 1, 2).subList(0, nparity));
        java.util.Collections.shuffle(dataCols, pick);
        java.util.Collections.shuffle(parityRows, pick);
        int[] missing = dataCols.subList(0, k).stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] rows = parityRows.subList(0, k).stream().mapToInt(Integer::intValue).sorted().toArray();
        byte[][] saved = new byte[cols][];
        for (int c : missing) {
            saved[c] = col[c];
            col[c] = null;
        }
        RaidzParity.reconstruct(col, size, nparity, missing, rows, "fuzz");
        for (int c : missing) {
            if (!Arrays.equals(col[c], saved[c])) {
                throw new AssertionError("column " + c + " rebuilt wrong from rows " + Arrays.toString(rows));
            }
        }
    }

    /** The column map covers the block exactly, once per byte, on the children that exist. */
    @FuzzTest(maxDuration = "10m")
    void raidzMap(FuzzedDataProvider data) {
        int children = data.consumeInt(2, 64);
        int parity = data.consumeInt(1, Math.min(3, children - 1));
        int ashift = data.consumeInt(9, 16);
        long psize = ((long) data.consumeInt(1, 32 << 20 >> ashift)) << ashift;
        long offset = data.consumeLong(0, 1L << 50) & -(1L << ashift);
        RaidzMap m = RaidzMap.of(offset, psize, children, parity, ashift);
        long data0 = 0;
        for (int c = 0; c < m.device().length; c++) {
            if (m.device()[c] < 0 || m.device()[c] >= children || m.offset()[c] < 0 || m.size()[c] < 0) {
                throw new AssertionError("column " + c + " outside the vdev");
            }
            data0 += c >= parity ? m.size()[c] : 0;
        }
        if (data0 != psize) {
            throw new AssertionError("data columns hold " + data0 + " bytes of " + psize);
        }
    }
}
