package userboot4j.fs.zfs;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * BLAKE3 with a 256-bit output (the BLAKE3 paper and specification): the input split in 1 KiB chunks of
 * 64-byte blocks, each chunk compressed into a chaining value, the chaining values merged pairwise into a
 * binary tree whose root gives the digest. Keyed hashing starts every chunk and parent from the key instead
 * of the IV. ZFS's blake3 checksum is the keyed hash with the pool's checksum salt as the key.
 */
final class Blake3 {
    static final int KEY_BYTES = 32;
    private static final int BLOCK = 64;
    private static final int CHUNK = 1024;
    private static final int CHUNK_START = 1;
    private static final int CHUNK_END = 2;
    private static final int PARENT = 4;
    private static final int ROOT = 8;
    private static final int KEYED_HASH = 16;
    private static final int[] IV = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c,
        0x1f83d9ab, 0x5be0cd19};
    private static final int[] PERMUTATION = {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8};

    private Blake3() {
    }

    /** The 32-byte hash of {@code data}. */
    static byte[] hash(byte[] data) {
        return digest(IV, 0, data);
    }

    /** The 32-byte keyed hash of {@code data} with the 32-byte {@code key}. */
    static byte[] keyed(byte[] key, byte[] data) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a BLAKE3 key has 32 bytes, not " + key.length);
        }
        return digest(words(key, 0, KEY_BYTES), KEYED_HASH, data);
    }

    /**
     * The tree over {@code data}: every chunk but the last pushed onto a stack of chaining values, merged
     * with the ones before it as long as the number of chunks so far is even at that level; the last chunk's
     * output then merged with the stack from the top down, the final node compressed as the root.
     */
    private static byte[] digest(int[] key, int flags, byte[] data) {
        long chunks = Math.max(1, (data.length + CHUNK - 1) / CHUNK);
        Deque<int[]> stack = new ArrayDeque<>();
        for (long c = 0; c < chunks - 1; c++) {
            int[] cv = chunk(key, flags, data, c).chainingValue();
            for (long total = c + 1; (total & 1) == 0; total >>= 1) {
                cv = parent(key, flags, stack.pop(), cv).chainingValue();
            }
            stack.push(cv);
        }
        Output out = chunk(key, flags, data, chunks - 1);
        while (!stack.isEmpty()) {
            out = parent(key, flags, stack.pop(), out.chainingValue());
        }
        int[] root = compress(out.cv, out.block, 0, out.length, out.flags | ROOT);
        byte[] digest = new byte[32];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 4; j++) {
                digest[4 * i + j] = (byte) (root[i] >>> (8 * j));
            }
        }
        return digest;
    }

    /** What the last compression of a node takes, kept until it is known whether that node is the root. */
    private record Output(int[] cv, int[] block, long counter, int length, int flags) {
        int[] chainingValue() {
            return java.util.Arrays.copyOf(compress(cv, block, counter, length, flags), 8);
        }
    }

    /** Chunk {@code index} of {@code data}: every block but its last compressed in turn. */
    private static Output chunk(int[] key, int flags, byte[] data, long index) {
        int from = (int) (index * CHUNK);
        int end = Math.min(data.length, from + CHUNK);
        int[] cv = key;
        int start = CHUNK_START;
        for (; end - from > BLOCK; from += BLOCK) {
            cv = java.util.Arrays.copyOf(compress(cv, words(data, from, BLOCK), index, BLOCK, flags | start), 8);
            start = 0;
        }
        return new Output(cv, words(data, from, end - from), index, end - from, flags | start | CHUNK_END);
    }

    private static Output parent(int[] key, int flags, int[] left, int[] right) {
        int[] block = new int[16];
        System.arraycopy(left, 0, block, 0, 8);
        System.arraycopy(right, 0, block, 8, 8);
        return new Output(key, block, 0, BLOCK, flags | PARENT);
    }

    /** Sixteen little-endian words of {@code length} bytes at {@code from}, zero-padded. */
    private static int[] words(byte[] data, int from, int length) {
        int[] w = new int[16];
        for (int i = 0; i < length; i++) {
            w[i >> 2] |= (data[from + i] & 0xff) << (8 * (i & 3));
        }
        return w;
    }

    /** The compression function: seven rounds over the chaining value, the IV, counter, length and flags. */
    private static int[] compress(int[] cv, int[] block, long counter, int length, int flags) {
        int[] v = {cv[0], cv[1], cv[2], cv[3], cv[4], cv[5], cv[6], cv[7], IV[0], IV[1], IV[2], IV[3],
            (int) counter, (int) (counter >>> 32), length, flags};
        int[] m = block.clone();
        for (int round = 0; round < 7; round++) {
            g(v, 0, 4, 8, 12, m[0], m[1]);
            g(v, 1, 5, 9, 13, m[2], m[3]);
            g(v, 2, 6, 10, 14, m[4], m[5]);
            g(v, 3, 7, 11, 15, m[6], m[7]);
            g(v, 0, 5, 10, 15, m[8], m[9]);
            g(v, 1, 6, 11, 12, m[10], m[11]);
            g(v, 2, 7, 8, 13, m[12], m[13]);
            g(v, 3, 4, 9, 14, m[14], m[15]);
            int[] p = new int[16];
            for (int i = 0; i < 16; i++) {
                p[i] = m[PERMUTATION[i]];
            }
            m = p;
        }
        for (int i = 0; i < 8; i++) {
            v[i] ^= v[i + 8];
            v[i + 8] ^= cv[i];
        }
        return v;
    }

    private static void g(int[] v, int a, int b, int c, int d, int x, int y) {
        v[a] += v[b] + x;
        v[d] = Integer.rotateRight(v[d] ^ v[a], 16);
        v[c] += v[d];
        v[b] = Integer.rotateRight(v[b] ^ v[c], 12);
        v[a] += v[b] + y;
        v[d] = Integer.rotateRight(v[d] ^ v[a], 8);
        v[c] += v[d];
        v[b] = Integer.rotateRight(v[b] ^ v[c], 7);
    }
}
