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

    public Spa(ZfsPools.Pool pool) {
        this.pool = pool;
    }

    public ZfsPools.Pool pool() {
        return pool;
    }

    /** The logical contents of the block {@code bp} points to. */
    public byte[] read(Blkptr bp, String where) throws BootException {
        if (bp.embedded()) {
            throw new BootException.Unsupported(where + ": embedded block pointers are not supported yet");
        }
        if (bp.psize() > MAX_BLOCK || bp.lsize() > MAX_BLOCK) {
            throw new BootException.InvalidFormat(where + ": block size " + bp.lsize() + " is past the 16 MiB limit");
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
        List<NvList> children = vdev.lists("children");
        if ("disk".equals(type) || "file".equals(type)) {
            Long guid = vdev.number("guid");
            Volume v = guid == null ? null : pool.devices().get(guid);
            if (v == null) {
                throw new BootException.NotFound(String.format("%s: device %s (guid 0x%x) is not given", where,
                        vdev.string("path"), guid == null ? 0 : guid));
            }
            byte[] phys = v.read(LABEL_START + offset, (int) bp.psize()).array();
            String at = String.format("%s (%s offset 0x%x)", where, v.name(), LABEL_START + offset);
            ZioChecksum.verify(bp, phys, at);
            return ZioCompress.decompress(bp.compress(), phys, (int) bp.lsize(), at);
        }
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
        throw new BootException.Unsupported(where + ": reading from a " + type + " vdev is not supported yet");
    }
}
