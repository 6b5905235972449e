package userboot4j.fs.zfs;

/**
 * Where a block lives on a RAID-Z vdev (OpenZFS vdev_raidz.c, vdev_raidz_map_alloc): the block's sectors
 * are spread over the children starting at column {@code offset / sector % children}, parity columns first;
 * every column gets {@code q} or {@code q + 1} sectors. Single-parity maps swap their first two columns
 * on odd megabytes, as the writer did to spread parity.
 */
record RaidzMap(int[] device, long[] offset, int[] size, int parity) {
    static RaidzMap of(long offset, long psize, int children, int nparity, int ashift) {
        long sector = 1L << ashift;
        long b = offset >>> ashift;
        long s = psize >>> ashift;
        int first = (int) (b % children);
        long o = (b / children) << ashift;
        long q = s / (children - nparity);
        long r = s - q * (children - nparity);
        int bc = r == 0 ? 0 : (int) r + nparity;
        int cols = q == 0 ? bc : children;
        int[] device = new int[cols];
        long[] off = new long[cols];
        int[] size = new int[cols];
        for (int c = 0; c < cols; c++) {
            int col = first + c;
            long coff = o;
            if (col >= children) {
                col -= children;
                coff += sector;
            }
            device[c] = col;
            off[c] = coff;
            size[c] = (int) ((c < bc ? q + 1 : q) << ashift);
        }
        if (nparity == 1 && cols > 1 && (offset & (1L << 20)) != 0) {
            int d = device[0];
            device[0] = device[1];
            device[1] = d;
            long t = off[0];
            off[0] = off[1];
            off[1] = t;
        }
        return new RaidzMap(device, off, size, nparity);
    }
}
