package userboot4j.fs.zfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import userboot4j.BootException;

/**
 * A block pointer (OpenZFS spa.h, blkptr_t): three DVAs (vdev, offset, allocated size), the logical and
 * physical sizes, compression and checksum types, object type, indirection level, the byte order the block
 * was written in, physical and logical birth txg, fill count and the 256-bit checksum of the physical block.
 */
public record Blkptr(Dva[] dvas, long lsize, long psize, int compress, int checksum, int type, int level,
        boolean littleEndian, boolean embedded, long physBirth, long birth, long fill, long[] cksum,
        byte[] payload) {
    public static final int SIZE = 128;
    /** Words of an embedded block pointer that carry data: all but blk_prop (6) and blk_birth (10). */
    static final int[] PAYLOAD_WORDS = {0, 1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 13, 14, 15};

    static final Dva EMPTY = new Dva(0, 0, 0, false);

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
        if ((prop >>> 39 & 1) != 0) {
            // embedded: the data itself in 14 words, each word's bytes taken lowest first; sizes in bytes;
            // the checksum field holds the embedded type (0: plain data)
            byte[] payload = new byte[PAYLOAD_WORDS.length * 8];
            for (int i = 0; i < PAYLOAD_WORDS.length; i++) {
                ByteBuffer.wrap(payload, 8 * i, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(b.getLong(8 * PAYLOAD_WORDS[i]));
            }
            return new Blkptr(new Dva[] {EMPTY, EMPTY, EMPTY}, (prop & 0x1ffffff) + 1, (prop >>> 25 & 0x7f) + 1,
                    (int) (prop >>> 32 & 0x7f), (int) (prop >>> 40 & 0xff), (int) (prop >>> 48 & 0xff),
                    (int) (prop >>> 56 & 0x1f), prop < 0, true, 0, b.getLong(80), 1, new long[4], payload);
        }
        return new Blkptr(dvas, ((prop & 0xffff) + 1) << 9, ((prop >>> 16 & 0xffff) + 1) << 9,
                (int) (prop >>> 32 & 0x7f), (int) (prop >>> 40 & 0xff), (int) (prop >>> 48 & 0xff),
                (int) (prop >>> 56 & 0x1f), prop < 0, false, b.getLong(72), b.getLong(80), b.getLong(88), cksum,
                null);
    }

    /** The txg the block was written in (BP_PHYSICAL_BIRTH): the physical birth where one is recorded. */
    public long physicalBirth() {
        return physBirth != 0 ? physBirth : birth;
    }

    /** This pointer with other DVAs, sizes, compression and checksum; type, level, order and births kept. */
    public Blkptr with(Dva[] dvas, long lsize, long psize, int compress, int checksum, long[] cksum) {
        return new Blkptr(dvas, lsize, psize, compress, checksum, type, level, littleEndian, false, physBirth, birth,
                fill, cksum, null);
    }

    /** A hole: no DVA and no birth. */
    public boolean isHole() {
        return !embedded && dvas[0].isEmpty() && birth == 0;
    }
}
