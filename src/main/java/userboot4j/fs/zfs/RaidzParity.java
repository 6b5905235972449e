package userboot4j.fs.zfs;

import userboot4j.BootException;

/**
 * RAID-Z parity over GF(2^8) (OpenZFS vdev_raidz.c): bytes are polynomials modulo x^8+x^4+x^3+x^2+1
 * (0x11d); of the {@code n} data columns, column {@code j} is weighted by {@code g^(n-1-j)} in parity row
 * {@code r}, where g is 1 for P (plain XOR), 2 for Q and 4 for R. A data column shorter than the parity
 * counts as zero-padded. Any {@code k} missing data columns are solved from any {@code k} parity rows:
 * the rows restricted to the missing columns form an invertible matrix.
 */
final class RaidzParity {
    static final int POLY = 0x11d;
    /** 2^i for i in [0, 510): a product's exponent sum needs no reduction. */
    private static final int[] EXP = new int[510];
    /** log2 of 1..255. */
    private static final int[] LOG = new int[256];

    static {
        int x = 1;
        for (int i = 0; i < 255; i++) {
            EXP[i] = EXP[i + 255] = x;
            LOG[x] = i;
            x <<= 1;
            if (x > 0xff) {
                x ^= POLY;
            }
        }
    }

    private RaidzParity() {
    }

    static int mul(int a, int b) {
        return a == 0 || b == 0 ? 0 : EXP[LOG[a] + LOG[b]];
    }

    static int inverse(int a) {
        return EXP[255 - LOG[a]];
    }

    /** The weight of data column {@code j} of {@code ndata} in parity row {@code row}: 2^(row·(ndata-1-j)). */
    static int coefficient(int row, int j, int ndata) {
        return EXP[row * (ndata - 1 - j) % 255];
    }

    /** {@code out[i] ^= c · in[i]} over {@code min(out, in)} bytes. */
    private static void addScaled(byte[] out, byte[] in, int c) {
        int n = Math.min(out.length, in.length);
        if (c == 1) {
            for (int i = 0; i < n; i++) {
                out[i] ^= in[i];
            }
            return;
        }
        byte[] times = new byte[256];
        for (int v = 1; v < 256; v++) {
            times[v] = (byte) mul(c, v);
        }
        for (int i = 0; i < n; i++) {
            out[i] ^= times[in[i] & 0xff];
        }
    }

    /**
     * Rebuilds the data columns {@code missing} of {@code col} (parity columns first, {@code nparity} of
     * them) from the parity columns {@code rows}, as many as there are missing columns; {@code size} gives
     * every column's length. Columns named in neither are taken as read.
     */
    static void reconstruct(byte[][] col, int[] size, int nparity, int[] missing, int[] rows, String where)
            throws BootException {
        int k = missing.length;
        int ndata = col.length - nparity;
        // syndromes: each parity row less the contribution of the data columns that are present
        byte[][] syn = new byte[k][];
        for (int a = 0; a < k; a++) {
            syn[a] = col[rows[a]].clone();
            for (int c = nparity; c < col.length; c++) {
                if (java.util.Arrays.binarySearch(missing, c) < 0) {
                    addScaled(syn[a], col[c], coefficient(rows[a], c - nparity, ndata));
                }
            }
        }
        int[][] inv = invert(k, (a, b) -> coefficient(rows[a], missing[b] - nparity, ndata), where);
        for (int b = 0; b < k; b++) {
            byte[] out = new byte[size[missing[b]]];
            for (int a = 0; a < k; a++) {
                addScaled(out, syn[a], inv[b][a]);
            }
            col[missing[b]] = out;
        }
    }

    private interface Matrix {
        int at(int row, int column);
    }

    /** The inverse of the k×k matrix {@code m}, by Gauss-Jordan elimination. */
    private static int[][] invert(int k, Matrix m, String where) throws BootException {
        int[][] a = new int[k][2 * k];
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < k; c++) {
                a[r][c] = m.at(r, c);
            }
            a[r][k + r] = 1;
        }
        for (int c = 0; c < k; c++) {
            int pivot = c;
            while (pivot < k && a[pivot][c] == 0) {
                pivot++;
            }
            if (pivot == k) {
                throw new BootException.InvalidFormat(where + ": raidz parity rows cannot rebuild these columns");
            }
            int[] t = a[c];
            a[c] = a[pivot];
            a[pivot] = t;
            int scale = inverse(a[c][c]);
            for (int j = 0; j < 2 * k; j++) {
                a[c][j] = mul(a[c][j], scale);
            }
            for (int r = 0; r < k; r++) {
                int f = a[r][c];
                if (r != c && f != 0) {
                    for (int j = 0; j < 2 * k; j++) {
                        a[r][j] ^= mul(f, a[c][j]);
                    }
                }
            }
        }
        int[][] out = new int[k][k];
        for (int r = 0; r < k; r++) {
            System.arraycopy(a[r], k, out[r], 0, k);
        }
        return out;
    }
}
