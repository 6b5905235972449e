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
