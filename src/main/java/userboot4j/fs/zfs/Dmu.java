package userboot4j.fs.zfs;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import userboot4j.BootException;

/**
 * Objects of an object set (OpenZFS dmu.c, the loader's dnode_read): data block {@code blkid} of a dnode
 * through its indirect blocks, and dnode {@code n} of an object set from its meta dnode.
 */
public final class Dmu {
    public static final int DMU_OST_META = 1;
    public static final int DMU_POOL_DIRECTORY_OBJECT = 1;

    /** Bytes of recently read blocks kept, so that walking a file reads each indirect block once. */
    static final long CACHE_BYTES = 8L << 20;

    private final Spa spa;
    private final java.util.LinkedHashMap<Blkptr.Dva, byte[]> cache = new java.util.LinkedHashMap<>(64, 0.75f, true);
    private long cached;

    /** A logical block and the byte order it was written in. */
    public record Block(byte[] bytes, ByteOrder order) {
    }

    public Dmu(Spa spa) {
        this.spa = spa;
    }

    /** The pool reader this reads through. */
    public Spa spa() {
        return spa;
    }

    /** Data block {@code blkid} of {@code dn}; a hole, or a block past the last one written, reads as zeros. */
    public Block block(DnodePhys dn, long blkid, String where) throws BootException {
        List<Step> path = path(dn, blkid, where);
        Blkptr bp = path.isEmpty() ? null : path.get(path.size() - 1).bp();
        if (bp == null || bp.isHole()) {
            return new Block(new byte[dn.blockSize()], dn.order());
        }
        return new Block(read(bp, where + " block " + blkid), order(bp));
    }

    /** A block pointer on the way to a data block, and its index in the dnode or indirect block that holds it. */
    record Step(Blkptr bp, int index) {
    }

    /**
     * The block pointers from {@code dn} down to its data block {@code blkid}: the dnode's, then one from
     * each indirect block, up to the data block's own or a hole. Empty when the block is past the last one
     * written.
     */
    List<Step> path(DnodePhys dn, long blkid, String where) throws BootException {
        if (blkid < 0) {
            throw new BootException.InvalidFormat(where + ": block " + blkid);
        }
        List<Step> path = new ArrayList<>(dn.nlevels());
        if (blkid > dn.maxblkid() || dn.blkptr().length == 0 || dn.nlevels() == 0) {
            return path;
        }
        int epbs = dn.indblkshift() - 7; // block pointers per indirect block, as a shift
        int level = dn.nlevels() - 1;
        long top = shift(blkid, epbs * level);
        if (top >= dn.blkptr().length) {
            throw new BootException.InvalidFormat(where + ": block " + blkid + " needs more than the dnode's "
                    + dn.blkptr().length + " block pointers");
        }
        Blkptr bp = dn.blkptr()[(int) top];
        path.add(new Step(bp, (int) top));
        while (level > 0 && !bp.isHole()) {
            byte[] ind = read(bp, where + " (indirect level " + level + ")");
            level--;
            int slot = (int) (shift(blkid, epbs * level) & ((1L << epbs) - 1));
            bp = Blkptr.decode(ind, slot * Blkptr.SIZE, order(bp), where);
            path.add(new Step(bp, slot));
        }
        return path;
    }

    /** spa.read through a small cache keyed by the first DVA (blocks are never rewritten in place). */
    byte[] read(Blkptr bp, String where) throws BootException {
        Blkptr.Dva key = bp.dvas()[0];
        byte[] b = bp.embedded() || key.isEmpty() ? null : cache.get(key);
        if (b == null) {
            b = spa.read(bp, where);
            if (!bp.embedded() && !key.isEmpty() && b.length <= CACHE_BYTES / 4) {
                cache.put(key, b);
                cached += b.length;
                for (var it = cache.values().iterator(); cached > CACHE_BYTES && it.hasNext(); ) {
                    cached -= it.next().length;
                    it.remove();
                }
            }
        }
        return b;
    }

    /** {@code blkid >>> bits}, also for a hostile dnode whose levels add up to 64 bits or more. */
    private static long shift(long blkid, int bits) {
        return bits >= 64 ? 0 : blkid >>> bits;
    }

    /** Dnode {@code object} of the object set whose meta dnode is {@code meta}. */
    public DnodePhys dnode(DnodePhys meta, long object, String where) throws BootException {
        int perBlock = meta.blockSize() / DnodePhys.SIZE;
        if (perBlock == 0 || object < 0) {
            throw new BootException.InvalidFormat(where + ": object " + object + " in a meta dnode of block size "
                    + meta.blockSize());
        }
        String at = where + " object " + object;
        Block block = block(meta, object / perBlock, at);
        return DnodePhys.decode(block.bytes(), (int) (object % perBlock) * DnodePhys.SIZE, block.order(), at);
    }

    /** The meta dnode of the object set {@code bp} points to. */
    public DnodePhys objset(Blkptr bp, String where) throws BootException {
        byte[] os = spa.read(bp, where);
        return DnodePhys.decode(os, 0, order(bp), where + " meta dnode");
    }

    static ByteOrder order(Blkptr bp) {
        return bp.littleEndian() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }
}
