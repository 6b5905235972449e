package userboot4j.fs.zfs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import userboot4j.BootException;

/**
 * A ZAP object's name → number entries (OpenZFS zap_impl.h, zap_leaf.h). A micro ZAP is one block whose
 * first word is ZBT_MICRO: a 64-byte header, then 64-byte entries {value, collision differentiator,
 * name[50]}. A fat ZAP has a header block and leaf blocks; every leaf is read (no hashing is needed to list
 * them all): a header, a hash table of 2-byte chunk numbers, then 24-byte chunks, entry chunks pointing at
 * chains of array chunks that hold the name and the big-endian value.
 */
public final class Zap {
    static final long ZBT_LEAF = (1L << 63);
    static final long ZBT_HEADER = (1L << 63) + 1;
    static final long ZBT_MICRO = (1L << 63) + 3;
    static final int MZAP_ENT = 64;
    static final int MZAP_NAME = 50;

    private Zap() {
    }

    /** The entries of the ZAP object {@code dn}, each value's first integer. */
    public static Map<String, Long> entries(Dmu dmu, DnodePhys dn, String where) throws BootException {
        return firstIntegers(arrays(dmu, dn, where));
    }

    /** Entries with whole values, as {@link #arrays} gives them, each value cut to its first integer. */
    static Map<String, Long> firstIntegers(Map<String, long[]> arrays) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : arrays.entrySet()) {
            out.put(e.getKey(), e.getValue().length == 0 ? 0 : e.getValue()[0]);
        }
        return out;
    }

    /** The entries of the ZAP object {@code dn} with their whole values (arrays of 1- to 8-byte integers). */
    public static Map<String, long[]> arrays(Dmu dmu, DnodePhys dn, String where) throws BootException {
        Dmu.Block first = dmu.block(dn, 0, where);
        ByteBuffer b = ByteBuffer.wrap(first.bytes()).order(first.order());
        if (first.bytes().length < MZAP_ENT) {
            throw new BootException.InvalidFormat(where + ": ZAP block of " + first.bytes().length + " bytes");
        }
        long kind = b.getLong(0);
        if (kind == ZBT_HEADER) {
            return fat(dmu, dn, where);
        }
        if (kind != ZBT_MICRO) {
            throw new BootException.InvalidFormat(String.format("%s: not a ZAP block (type 0x%x)", where, kind));
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        for (int at = MZAP_ENT; at + MZAP_ENT <= first.bytes().length; at += MZAP_ENT) {
            int len = 0;
            while (len < MZAP_NAME && first.bytes()[at + 14 + len] != 0) {
                len++;
            }
            if (len > 0) {
                out.put(new String(first.bytes(), at + 14, len, StandardCharsets.UTF_8), new long[] {b.getLong(at)});
            }
        }
        return out;
    }

    static final int ZAP_MAGIC_LEAF = 0x2ab1eaf;
    static final int LEAF_HEADER = 48;
    static final int CHUNK = 24;
    static final int CHUNK_ENTRY = 252;
    static final int CHUNK_ARRAY = 251;
    static final int ARRAY_BYTES = 21;
    static final int CHAIN_END = 0xffff;
    static final long MAX_LEAVES = 1 << 16;

    private static Map<String, long[]> fat(Dmu dmu, DnodePhys dn, String where) throws BootException {
        if (dn.maxblkid() > MAX_LEAVES) {
            throw new BootException.InvalidFormat(where + ": fat ZAP of " + dn.maxblkid() + " blocks");
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        for (long blk = 1; blk <= dn.maxblkid(); blk++) {
            Dmu.Block leaf = dmu.block(dn, blk, where);
            ByteBuffer b = ByteBuffer.wrap(leaf.bytes()).order(leaf.order());
            int size = leaf.bytes().length;
            if (size < 1024 || Integer.bitCount(size) != 1 || b.getLong(0) != ZBT_LEAF || b.getInt(24) != ZAP_MAGIC_LEAF) {
                continue; // a pointer-table block or one never written
            }
            int chunks0 = LEAF_HEADER + size / 16; // the hash table has size/32 two-byte slots
            int nchunks = (size - size / 16) / CHUNK - 2; // less the header's two chunks
            String at = where + " leaf " + blk;
            for (int c = 0; c < nchunks; c++) {
                int off = chunks0 + c * CHUNK;
                if ((b.get(off) & 0xff) != CHUNK_ENTRY) {
                    continue;
                }
                int intlen = b.get(off + 1) & 0xff;
                if (intlen != 1 && intlen != 2 && intlen != 4 && intlen != 8) {
                    throw new BootException.InvalidFormat(at + ": ZAP entry of " + intlen + "-byte integers");
                }
                byte[] name = array(b, chunks0, nchunks, b.getShort(off + 4) & 0xffff, b.getShort(off + 6) & 0xffff, at);
                byte[] value = array(b, chunks0, nchunks, b.getShort(off + 8) & 0xffff,
                        intlen * (b.getShort(off + 10) & 0xffff), at);
                int len = 0;
                while (len < name.length && name[len] != 0) {
                    len++;
                }
                long[] v = new long[value.length / intlen]; // stored big-endian, whatever the block's order
                for (int i = 0; i < value.length; i++) {
                    v[i / intlen] = v[i / intlen] << 8 | (value[i] & 0xff);
                }
                out.put(new String(name, 0, len, StandardCharsets.UTF_8), v);
            }
        }
        return out;
    }

    /** {@code n} bytes from the chain of array chunks starting at {@code chunk}. */
    private static byte[] array(ByteBuffer b, int chunks0, int nchunks, int chunk, int n, String where)
            throws BootException {
        if (n > nchunks * ARRAY_BYTES) {
            throw new BootException.InvalidFormat(where + ": ZAP array of " + n + " bytes");
        }
        byte[] out = new byte[n];
        java.util.BitSet seen = new java.util.BitSet(nchunks);
        for (int done = 0; done < n; ) {
            if (chunk >= nchunks) {
                throw new BootException.InvalidFormat(where + ": ZAP chunk " + chunk + " past " + nchunks);
            }
            int off = chunks0 + chunk * CHUNK;
            if (seen.get(chunk)) {
                throw new BootException.InvalidFormat(where + ": ZAP array chain loops back to chunk " + chunk);
            }
            if ((b.get(off) & 0xff) != CHUNK_ARRAY) {
                throw new BootException.InvalidFormat(where + ": ZAP chunk " + chunk + " is not an array chunk");
            }
            seen.set(chunk);
            int k = Math.min(ARRAY_BYTES, n - done);
            b.get(off + 1, out, done, k);
            done += k;
            chunk = b.getShort(off + 22) & 0xffff;
        }
        if (chunk != CHAIN_END) {
            throw new BootException.InvalidFormat(where + ": ZAP array of " + n + " bytes goes on to chunk " + chunk);
        }
        return out;
    }
}
