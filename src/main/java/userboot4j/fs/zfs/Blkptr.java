package userboot4j.fs.zfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import userboot4j.BootException;

/**
 * A block pointer (OpenZFS spa.h, blkptr_t): three DVAs (vdev, offset, allocated size), the logical and
 * physical sizes, compression and checksum types, object type, indirection level, the byte order the block
 * was written in, birth txg, fill count and the 256-bit checksum of the physical block.
 */
public record Blkptr(Dva[] dvas, long lsize, long psize, int compress, int checksum, int type, int level,
        boolean littleEndian, boolean embedded, long birth, long fill, long[] cksum) {
    public static final int SIZE = 128;

    /** A data virtual address: top-level vdev id, byte offset in its allocatable space, allocated size. */
    public record Dva(long vdev, long offset, long asize, boolean gang) {
        boolean isEmpty() {
            return vdev == 0 && offset == 0 && asize == 0;
        }
    }

    /** Decodes {@code raw[at..at+128)} in {@code order}, the order of the block that holds the pointer. */
    public static Blkptr decode(byte[] raw, int at, ByteOrder order, String where) throws BootException {
        if (at < 0 || at > raw.length - SIZE) {
            throw new BootException.InvalidFormat(where + ": block pointer outside its block");
        }
        ByteBuffer b = ByteBuffer.wrap(raw, at, SIZE).slice().order(order);
        Dva[] dvas = new Dva[3];
        for (int i = 0; i < 3; i++) {
            long w0 = b.getLong(16 * i);
            long w1 = b.getLong(16 * i + 8);
            dvas[i] = new Dva(w0 >>> 32 & 0xffffff, (w1 & Long.MAX_VALUE) << 9, (w0 & 0xffffff) << 9, w1 < 0);
        }
        long prop = b.getLong(48);
        long[] cksum = new long[4];
        for (int i = 0; i < 4; i++) {
            cksum[i] = b.getLong(96 + 8 * i);
        }
        return new Blkptr(dvas, ((prop & 0xffff) + 1) << 9, ((prop >>> 16 & 0xffff) + 1) << 9,
                (int) (prop >>> 32 & 0x7f), (int) (prop >>> 40 & 0xff), (int) (prop >>> 48 & 0xff),
                (int) (prop >>> 56 & 0x1f), prop < 0, (prop >>> 39 & 1) != 0, b.getLong(80), b.getLong(88), cksum);
    }

    /** A hole: no DVA and no birth. */
    public boolean isHole() {
        return dvas[0].isEmpty() && birth == 0;
    }
}
