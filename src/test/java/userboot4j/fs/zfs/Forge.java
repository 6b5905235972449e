package userboot4j.fs.zfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What a guest who owns its disk can write: block pointers, and the embedded checksums of labels,
 * uberblocks and gang headers, which are no secret. Hostile tests and fuzz targets use it to get damage
 * past the checksums to the code behind them.
 */
final class Forge {
    private Forge() {
    }

    /**
     * Gives {@code buf[from..from+len)} an embedded-checksum tail (zio_eck_t) in {@code order}: the magic,
     * and the SHA-256 of the block taken with {@code verifier} (missing words zero) in the checksum's place.
     */
    static void signEck(byte[] buf, int from, int len, ByteOrder order, long... verifier) {
        int eck = from + len - VdevLabel.ECK_SIZE;
        ByteBuffer b = ByteBuffer.wrap(buf).order(order);
        b.putLong(eck, VdevLabel.ECK_MAGIC);
        for (int i = 0; i < 4; i++) {
            b.putLong(eck + 8 + 8 * i, i < verifier.length ? verifier[i] : 0);
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update(buf, from, len);
        ByteBuffer d = ByteBuffer.wrap(sha.digest()).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < 4; i++) {
            b.putLong(eck + 8 + 8 * i, d.getLong(8 * i));
        }
    }

    /** A 128-byte little-endian block pointer (not embedded). */
    static byte[] encode(Blkptr bp) {
        ByteBuffer b = ByteBuffer.allocate(Blkptr.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 3; i++) {
            Blkptr.Dva d = bp.dvas()[i];
            b.putLong(16 * i, d.vdev() << 32 | d.asize() >>> 9);
            b.putLong(16 * i + 8, d.offset() >>> 9 | (d.gang() ? Long.MIN_VALUE : 0));
        }
        b.putLong(48, (bp.lsize() / 512 - 1) | (bp.psize() / 512 - 1) << 16 | (long) bp.compress() << 32
                | (long) bp.checksum() << 40 | (long) bp.type() << 48 | (long) bp.level() << 56 | Long.MIN_VALUE);
        b.putLong(72, bp.physBirth()).putLong(80, bp.birth()).putLong(88, bp.fill());
        for (int i = 0; i < 4; i++) {
            b.putLong(96 + 8 * i, bp.cksum()[i]);
        }
        return b.array();
    }
}
