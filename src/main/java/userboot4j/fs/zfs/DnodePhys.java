package userboot4j.fs.zfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import userboot4j.BootException;

/**
 * An object's dnode (OpenZFS dnode.h, dnode_phys_t): 512 bytes with the object's type, the block sizes,
 * the number of indirection levels, up to three block pointers and the bonus buffer after them.
 */
public record DnodePhys(int type, int indblkshift, int nlevels, Blkptr[] blkptr, int bonustype, int datablkszsec,
        byte[] bonus, long maxblkid, ByteOrder order) {
    public static final int SIZE = 512;
    static final int BLKPTR_OFFSET = 64;

    /** Decodes the dnode at {@code raw[at..at+512)}, a block in byte order {@code order}. */
    public static DnodePhys decode(byte[] raw, int at, ByteOrder order, String where) throws BootException {
        if (at < 0 || at > raw.length - SIZE) {
            throw new BootException.InvalidFormat(where + ": dnode outside its block");
        }
        ByteBuffer b = ByteBuffer.wrap(raw, at, SIZE).slice().order(order);
        int nblkptr = b.get(3) & 0xff;
        int bonuslen = b.getShort(10) & 0xffff;
        int nlevels = b.get(2) & 0xff;
        int indblkshift = b.get(1) & 0xff;
        int datablkszsec = b.getShort(8) & 0xffff;
        if (nblkptr > 3 || BLKPTR_OFFSET + nblkptr * Blkptr.SIZE + bonuslen > SIZE || nlevels > 8
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
                b.getLong(16), order);
    }

    public int blockSize() {
        return datablkszsec << 9;
    }
}
