package userboot4j.fs.zfs;

import java.util.List;
import userboot4j.BootException;
import userboot4j.disk.Volume;

/**
 * Reads blocks of a discovered pool (the boot loader's zio_read): each DVA in turn, on its top-level vdev;
 * a leaf's data starts after its two front labels and boot area; a mirror answers from the first child
 * whose copy checksums. The physical block is checksum-verified before it is decompressed.
 */
public final class Spa {
    /** Two labels and the 3.5 MiB boot area in front of every leaf's allocatable space. */
    static final long LABEL_START = 4L << 20;
    static final long MAX_BLOCK = 16L << 20;

    private final ZfsPools.Pool pool;
    /** The pool's checksum salt, which skein needs: null until Dsl has read the MOS object directory. */
    private byte[] salt;

    public Spa(ZfsPools.Pool pool) {
        this.pool = pool;
    }

    public ZfsPools.Pool pool() {
        return pool;
    }

    void checksumSalt(byte[] salt) {
        this.salt = salt;
    }

    /** The logical contents of the block {@code bp} points to. */
    public byte[] read(Blkptr bp, String where) throws BootException {
        if (bp.psize() > MAX_BLOCK || bp.lsize() > MAX_BLOCK) {
            throw new BootException.InvalidFormat(where + ": block size " + bp.lsize() + " is past the 16 MiB limit");
        }
        if (bp.embedded()) {
            if (bp.checksum() != 0 || bp.psize() > bp.payload().length) {
                throw new BootException.Unsupported(String.format("%s: embedded block of type %d, %d bytes", where,
                        bp.checksum(), bp.psize()));
            }
            return ZioCompress.decompress(bp.compress(), java.util.Arrays.copyOf(bp.payload(), (int) bp.psize()),
                    (int) bp.lsize(), where);
        }
        BootException last = new BootException.InvalidFormat(where + ": block pointer has no DVA");
        for (Blkptr.Dva dva : bp.dvas()) {
            if (dva.isEmpty()) {
                continue;
            }
            if (dva.gang()) {
                last = new BootException.Unsupported(where + ": gang blocks are not supported yet");
                continue;
            }
            NvList top = pool.topLevel().get(dva.vdev());
            if (top == null) {
                last = new BootException.NotFound(String.format("%s: top-level vdev %d is not among the given "
                        + "devices", where, dva.vdev()));
                continue;
            }
            try {
                return readVdev(top, dva.offset(), bp, where, 0);
            } catch (BootException e) {
                last = e;
            }
        }
        throw last;
    }

    private byte[] readVdev(NvList vdev, long offset, Blkptr bp, String where, int depth) throws BootException {
        String type = vdev.string("type");
        if ("disk".equals(type) || "file".equals(type)) {
            Volume v = device(vdev, where);
            long pos = LABEL_START + offset;
            return decode(bp, v.read(pos, (int) bp.psize()).array(), String.format("%s (%s offset 0x%x)", where,
                    v.name(), pos));
        }
        List<NvList> children = vdev.lists("children");
        if (depth < 4 && ("mirror".equals(type) || "replacing".equals(type) || "spare".equals(type))) {
            BootException last = new BootException.InvalidFormat(where + ": " + type + " vdev has no children");
            for (NvList child : children) {
                try {
                    return readVdev(child, offset, bp, where, depth + 1);
                } catch (BootException e) {
                    last = e;
                }
            }
            throw last;
        }
        if ("raidz".equals(type) && depth == 0) {
            return raidz(vdev, children, offset, bp, where);
        }
        throw new BootException.Unsupported(where + ": reading from a " + type + " vdev is not supported yet");
    }

    /** The physical bytes at {@code offset} of a leaf vdev's allocatable space. */
    private byte[] leaf(NvList vdev, long offset, int len, String where) throws BootException {
        return device(vdev, where).read(LABEL_START + offset, len).array();
    }

    /** The given device that is the leaf vdev {@code vdev}. */
    private Volume device(NvList vdev, String where) throws BootException {
        Long guid = vdev.number("guid");
        Volume v = guid == null ? null : pool.devices().get(guid);
        if (v == null) {
            throw new BootException.NotFound(String.format("%s: device %s (guid 0x%x) is not given", where,
                    vdev.string("path"), guid == null ? 0 : guid));
        }
        return v;
    }

    private byte[] decode(Blkptr bp, byte[] phys, String where) throws BootException {
        ZioChecksum.verify(bp, phys, salt, where);
        return ZioCompress.decompress(bp.compress(), phys, (int) bp.lsize(), where);
    }

    /**
     * A RAID-Z block: its data columns joined; when a column cannot be read or the joined block does not
     * checksum, each data column in turn is rebuilt from the P parity (XOR of all data columns).
     */
    private byte[] raidz(NvList vdev, List<NvList> children, long offset, Blkptr bp, String where)
            throws BootException {
        Long nparity = vdev.number("nparity");
        Long ashift = vdev.number("ashift");
        int parity = nparity == null ? 1 : (int) (long) nparity; // before pool version 3 only raidz1 existed
        if (children.size() < 2 || parity < 1 || parity >= children.size() || ashift == null || ashift < 9
                || ashift > 16) {
            throw new BootException.InvalidFormat(where + ": raidz vdev with " + children.size() + " children, "
                    + "parity " + parity + ", ashift " + ashift);
        }
        long sector = 1L << ashift;
        long aligned = (bp.psize() + sector - 1) & -sector; // device I/O is in whole sectors
        RaidzMap map = RaidzMap.of(offset, aligned, children.size(), parity, (int) (long) ashift);
        int cols = map.device().length;
        byte[][] col = new byte[cols][];
        BootException failure = null;
        for (int c = 0; c < cols; c++) {
            try {
                col[c] = leaf(children.get(map.device()[c]), map.offset()[c], map.size()[c], where);
            } catch (BootException e) {
                failure = e;
            }
        }
        BootException last = failure;
        // first as read, then with each data column in turn rebuilt from P
        for (int rebuilt = parity - 1; rebuilt < cols; rebuilt++) {
            byte[] original = rebuilt >= parity ? col[rebuilt] : null;
            if (rebuilt >= parity) {
                if (col[0] == null) {
                    break;
                }
                col[rebuilt] = fromParity(col, parity, rebuilt, map.size()[rebuilt]);
            }
            if (java.util.Arrays.stream(col, parity, cols).allMatch(java.util.Objects::nonNull)) {
                byte[] phys = new byte[(int) aligned];
                for (int c = parity, at = 0; c < cols; at += map.size()[c], c++) {
                    System.arraycopy(col[c], 0, phys, at, map.size()[c]);
                }
                try {
                    return decode(bp, java.util.Arrays.copyOf(phys, (int) bp.psize()), where);
                } catch (BootException e) {
                    last = e;
                }
            }
            if (rebuilt >= parity) {
                col[rebuilt] = original;
            }
        }
        throw last != null ? last : new BootException.InvalidFormat(where + ": raidz block unreadable");
    }

    /** Data column {@code target} as the XOR of the P parity column and the other data columns. */
    private static byte[] fromParity(byte[][] col, int parity, int target, int size) {
        byte[] out = java.util.Arrays.copyOf(col[0], size);
        for (int c = parity; c < col.length; c++) {
            if (c == target || col[c] == null) {
                continue;
            }
            for (int i = 0; i < Math.min(size, col[c].length); i++) {
                out[i] ^= col[c][i];
            }
        }
        return out;
    }
}
