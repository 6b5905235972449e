package userboot4j.fs.zfs;

/**
 * The Threefish-512 tweakable block cipher (Skein 1.3 specification, section 3.3), encryption only: 72
 * rounds of four MIX operations and a word permutation over eight 64-bit words, a subkey added before
 * every fourth round and after the last.
 */
final class Threefish512 {
    static final int WORDS = 8;
    static final int ROUNDS = 72;
    /** Makes the extra key word of the schedule (k8) differ from the XOR of an all-zero key. */
    static final long C240 = 0x1BD11BDAA9FC1A22L;
    /** Rotation of MIX {@code j} in round {@code d}, by {@code d mod 8}. */
    static final int[][] ROTATION = {
        {46, 36, 19, 37}, {33, 27, 14, 42}, {17, 49, 36, 39}, {44, 9, 54, 56},
        {39, 30, 34, 24}, {13, 50, 10, 17}, {25, 29, 39, 43}, {8, 35, 56, 22}};
    /** After each round, word {@code i} takes the MIX output word {@code PERMUTATION[i]}. */
    static final int[] PERMUTATION = {2, 1, 4, 7, 6, 5, 0, 3};

    private Threefish512() {
    }

    /** {@code plain} enciphered under the eight-word {@code key} and the tweak {@code t0, t1}. */
    static long[] encrypt(long[] key, long t0, long t1, long[] plain) {
        long[] k = java.util.Arrays.copyOf(key, WORDS + 1);
        k[WORDS] = C240;
        for (int i = 0; i < WORDS; i++) {
            k[WORDS] ^= key[i];
        }
        long[] t = {t0, t1, t0 ^ t1};
        long[] v = plain.clone();
        long[] f = new long[WORDS];
        for (int d = 0; d < ROUNDS; d++) {
            if (d % 4 == 0) {
                addSubkey(v, k, t, d / 4);
            }
            int[] r = ROTATION[d % 8];
            for (int j = 0; j < WORDS / 2; j++) {
                f[2 * j] = v[2 * j] + v[2 * j + 1];
                f[2 * j + 1] = Long.rotateLeft(v[2 * j + 1], r[j]) ^ f[2 * j];
            }
            for (int i = 0; i < WORDS; i++) {
                v[i] = f[PERMUTATION[i]];
            }
        }
        addSubkey(v, k, t, ROUNDS / 4);
        return v;
    }

    /** Adds subkey {@code s}: key words rotated by {@code s}, two tweak words, and {@code s} itself. */
    private static void addSubkey(long[] v, long[] k, long[] t, int s) {
        for (int i = 0; i < WORDS; i++) {
            v[i] += k[(s + i) % (WORDS + 1)];
        }
        v[WORDS - 3] += t[s % 3];
        v[WORDS - 2] += t[(s + 1) % 3];
        v[WORDS - 1] += s;
    }
}
