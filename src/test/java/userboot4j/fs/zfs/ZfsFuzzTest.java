package userboot4j.fs.zfs;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import userboot4j.BootException;

/**
 * The ZFS parsers that read guest bytes whatever their checksums say (a guest can write valid ones):
 * nvlists (labels, packed configs), each decompressor with lying sizes, and the RAID-Z column map for
 * every geometry Spa accepts. Only a one-line BootException may come out.
 */
class ZfsFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void nvlist(byte[] packed) {
        try {
            NvList.unpack(packed, "fuzz");
        } catch (BootException e) {
            userboot4j.fuzz.Hostile.check(e);
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
            userboot4j.fuzz.Hostile.check(e);
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
            DnodePhys dn = DnodePhys.decode(data, 0, java.nio.ByteOrder.LITTLE_ENDIAN, "fuzz");
            for (long blk = 0; blk < 4; blk++) {
                dmu.block(dn, blk, "fuzz");
            }
            Zap.entries(dmu, dn, "fuzz");
        } catch (BootException e) {
            userboot4j.fuzz.Hostile.check(e);
        }
    }

    /** The seed of objectTree reaches the ZAP: the harness reads what a fuzzed tree would be read through. */
    @org.junit.jupiter.api.Test
    void objectTreeSeedIsAMicroZap() throws Exception {
        byte[] seed = getClass().getResourceAsStream("ZfsFuzzTestInputs/objectTree/micro-zap").readAllBytes();
        Dmu dmu = new Dmu(new Spa(onePool(seed)));
        DnodePhys dn = DnodePhys.decode(seed, 0, java.nio.ByteOrder.LITTLE_ENDIAN, "seed");
        org.assertj.core.api.Assertions.assertThat(Zap.entries(dmu, dn, "seed")).containsOnlyKeys("boot", "kernel",
                "loader.conf");
    }

    /** A pool of one disk vdev (guid 1) whose allocatable space, after its 4 MiB of labels, begins with {@code data}. */
    static ZfsPools.Pool onePool(byte[] data) throws BootException {
        java.io.ByteArrayOutputStream x = new java.io.ByteArrayOutputStream();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(256);
        b.put(new byte[] {1, 1, 0, 0}).putInt(0).putInt(1);
        xdrPair(b, "type", 9, "disk".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        xdrPair(b, "guid", 8, java.nio.ByteBuffer.allocate(8).putLong(1).array());
        b.putInt(0).putInt(0);
        x.write(b.array(), 0, b.position());
        NvList disk = NvList.unpack(x.toByteArray(), "fuzz vdev");
        // the allocatable space ends where the two back labels begin, on a device of whole labels
        int label = VdevLabel.LABEL_SIZE;
        byte[] space = java.util.Arrays.copyOf(data, (data.length + label - 1) / label * label + 2 * label);
        userboot4j.disk.Volume device = userboot4j.fuzz.Hostile.volume(space, Spa.LABEL_START);
        return new ZfsPools.Pool("fuzz", 7, disk, java.util.Map.of(0L, disk), java.util.Map.of(1L, device), null);
    }

    /** One nvpair in XDR: sizes, name, type, one element, value (strings with their length, padded to 4). */
    private static void xdrPair(java.nio.ByteBuffer b, String name, int type, byte[] value) {
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
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
            col[c] = java.util.Arrays.copyOf(col[c], size[c]);
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
        java.util.List<Integer> dataCols = new java.util.ArrayList<>();
        for (int c = nparity; c < cols; c++) {
            dataCols.add(c);
        }
        java.util.List<Integer> parityRows = new java.util.ArrayList<>(java.util.List.of(0, 1, 2).subList(0, nparity));
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
            if (!java.util.Arrays.equals(col[c], saved[c])) {
                throw new AssertionError("column " + c + " rebuilt wrong from rows " + java.util.Arrays.toString(rows));
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
