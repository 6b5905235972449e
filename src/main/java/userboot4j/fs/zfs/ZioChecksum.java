package userboot4j.fs.zfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import userboot4j.BootException;

/**
 * The block checksums the boot loader verifies (OpenZFS zio_checksum.h, zfs_fletcher.c, sha256.c): fletcher2
 * over pairs of 64-bit words, fletcher4 over 32-bit words, SHA-256 as four big-endian words. Each is taken in
 * the block's own byte order, so a block written on a big-endian host checks on any host. ZFS's sha512 is
 * SHA-512/256; skein is Skein-512-256 and blake3 is BLAKE3, both keyed with the pool's checksum salt
 * (blake3_zfs.c). FreeBSD 13.2's loader has neither edonr nor blake3 (zfssubr.c leaves edonr without
 * functions and has no blake3 entry); 14.x's and 15.x's have blake3. None has edonr, so neither has this one.
 */
public final class ZioChecksum {
    static final int OFF = 2;
    static final int FLETCHER_2 = 6;
    static final int FLETCHER_4 = 7;
    static final int SHA256 = 8;
    static final int SHA512 = 11;
    static final int SKEIN = 12;
    static final int BLAKE3 = 14;
    /** Bytes of the salt in the MOS object directory (zio_cksum_salt_t). */
    static final int SALT_BYTES = 32;
    static final String[] NAMES = {"inherit", "on", "off", "label", "gang_header", "zilog", "fletcher2",
        "fletcher4", "sha256", "zilog2", "noparity", "sha512", "skein", "edonr", "blake3"};

    private ZioChecksum() {
    }

    /**
     * The checksum of {@code data} with algorithm {@code type}, in the block's byte order {@code order};
     * {@code salt} is the pool's checksum salt, null while it is not known.
     */
    public static long[] compute(int type, byte[] data, ByteOrder order, byte[] salt, String where)
            throws BootException {
        ByteBuffer b = ByteBuffer.wrap(data).order(order);
        switch (type) {
            case FLETCHER_2 -> {
                long a0 = 0, a1 = 0, b0 = 0, b1 = 0;
                for (int i = 0; i + 16 <= data.length; i += 16) {
                    a0 += b.getLong(i);
                    a1 += b.getLong(i + 8);
                    b0 += a0;
                    b1 += a1;
                }
                return new long[] {a0, a1, b0, b1};
            }
            case FLETCHER_4 -> {
                long a = 0, bb = 0, c = 0, d = 0;
                boolean swap = order == ByteOrder.BIG_ENDIAN;
                for (int i = 0; i + 4 <= data.length; i += 4) {
                    // assembled by hand: ByteBuffer.getInt stays a chain of calls under the quick compiler
                    int w = data[i] & 0xff | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | data[i + 3] << 24;
                    a += (swap ? Integer.reverseBytes(w) : w) & 0xffffffffL;
                    bb += a;
                    c += bb;
                    d += c;
                }
                return new long[] {a, bb, c, d};
            }
            case SHA256 -> {
                return digest("SHA-256", data, ByteOrder.BIG_ENDIAN);
            }
            case SHA512 -> {
                // stored as the digest's bytes, not converted to big-endian words as SHA-256's are
                return digest("SHA-512/256", data, order);
            }
            case SKEIN -> {
                // stored as the digest's bytes, as sha512's
                return words(new Skein512(salted(type, salt, where), 256).digest(data), order);
            }
            case BLAKE3 -> {
                return words(Blake3.keyed(salted(type, salt, where), data), order);
            }
            default -> throw new BootException.Unsupported(String.format("%s: checksum %s is not supported", where,
                    name(type)));
        }
    }

    /** The salt a salted checksum needs; it is an error to meet such a block before the salt is known. */
    private static byte[] salted(int type, byte[] salt, String where) throws BootException {
        if (salt == null) {
            throw new BootException.InvalidFormat(where + ": " + name(type) + " block, but the pool's checksum "
                    + "salt is not known");
        }
        return salt;
    }

    static String name(int type) {
        return type >= 0 && type < NAMES.length ? NAMES[type] : "type " + type;
    }

    /** A 256-bit digest as four 64-bit words read in {@code order}. */
    static long[] digest(String algorithm, byte[] data, ByteOrder order) {
        try {
            return words(MessageDigest.getInstance(algorithm).digest(data), order);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long[] words(byte[] digest, ByteOrder order) {
        ByteBuffer d = ByteBuffer.wrap(digest).order(order);
        return new long[] {d.getLong(0), d.getLong(8), d.getLong(16), d.getLong(24)};
    }

    /**
     * Throws unless {@code data} has the checksum the block pointer records (type off is not checked);
     * {@code salt} as for {@link #compute}; a checksum the loader of {@code loader}'s release lacks is
     * refused.
     */
    public static void verify(Blkptr bp, byte[] data, byte[] salt, FeaturesForRead loader, String where)
            throws BootException {
        if (bp.checksum() == OFF) {
            return;
        }
        if (bp.checksum() == BLAKE3 && !loader.blake3()) {
            throw new BootException.Unsupported(String.format("%s: checksum blake3 is not supported by FreeBSD "
                    + "%s's loader", where, loader.release()));
        }
        long[] got = compute(bp.checksum(), data, bp.littleEndian() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN,
                salt, where);
        if (!java.util.Arrays.equals(got, bp.cksum())) {
            throw new BootException.InvalidFormat(String.format("%s: checksum mismatch (%s): stored %016x, "
                    + "computed %016x", where, name(bp.checksum()), bp.cksum()[0], got[0]));
        }
    }
}
