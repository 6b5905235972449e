package userboot4j.fs.zfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import userboot4j.BootException;

/**
 * An object's dnode (OpenZFS dnode.h, dnode_phys_t): 512 bytes with the object's type, the block sizes,
 * the number of indirection levels, up to three block pointers and the bonus buffer after them. A large
 * dnode takes extra 512-byte slots, which lengthen its bonus; with DNODE_FLAG_SPILL_BLKPTR the last 128
 * bytes of its last slot are the spill block pointer, holding system attributes that did not fit.
 */
public record DnodePhys(int type, int indblkshift, int nlevels, Blkptr[] blkptr, int bonustype, int datablkszsec,
        byte[] bonus, long maxblkid, ByteOrder order, Blkptr spill) {
    public static final int SIZE = 512;
    static final int BLKPTR_OFFSET = 64;
    static final int DNODE_FLAG_SPILL_BLKPTR = 4;

    /** Decodes the dnode at {@code raw[at..at+512)}, a block in byte order {@code order}. */
    public static DnodePhys decode(byte[] raw, int at, ByteOrder order, String where) throws BootException {
        if (at < 0 || at > raw.length - SIZE) {
            throw new BootException.InvalidFormat(where + ": dnode outside its block");
        }
        int size = SIZE * (1 + (raw[at + 12] & 0xff));
        if (size > raw.length - at) {
            throw new BootException.InvalidFormat(where + ": large dnode of " + size + " bytes runs past its block");
        }
        ByteBuffer b = ByteBuffer.wrap(raw, at, size).slice().order(order);
        int nblkptr = b.get(3) & 0xff;
        int bonuslen = b.getShort(10) & 0xffff;
        int nlevels = b.get(2) & 0xff;
        int indblkshift = b.get(1) & 0xff;
        boolean spill = (b.get(7) & DNODE_FLAG_SPILL_BLKPTR) != 0;
        int room = size - (spill ? Blkptr.SIZE : 0);
        int datablkszsec = b.getShort(8) & 0xffff;
        if (nblkptr > 3 || BLKPTR_OFFSET + nblkptr * Blkptr.SIZE + bonuslen > room || nlevels > 8
                || (nlevels > 1 && (indblkshift < 10 || indblkshift > 17))
                || (long) datablkszsec << 9 > Spa.MAX_BLOCK) {
            throw new BootException.InvalidFormat(String.format("%s: dnode with %d block pointers, %d bonus bytes, "
                    + "%d levels, indirect shift %d, data blocks of %d sectors", where, nblkptr, bonuslen, nlevels,
                    indblkshift, datablkszsec));
        }
        Blkptr[] bps = new Blkptr[nblkptr];
        for (int i = 0; i < nblkptr; i++) {
            bps[i] = Blkptr.decode(raw, at + BLKPTR_OFFSET + i * Blkptr.SIZE, order, where);
        }
        byte[] bonus = new byte[bonuslen];
        System.arraycopy(raw, at + BLKPTR_OFFSET + nblkptr * Blkptr.SIZE, bonus, 0, bonuslen);
        return new DnodePhys(b.get(0) & 0xff, indblkshift, nlevels, bps, b.get(4) & 0xff, datablkszsec, bonus,
                b.getLong(16), order, spill ? Blkptr.decode(raw, at + room, order, where + " spill") : null);
    }

    public int blockSize() {
        return datablkszsec << 9;
    }
}
