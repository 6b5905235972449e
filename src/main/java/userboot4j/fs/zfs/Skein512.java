package userboot4j.fs.zfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Skein-512 hash (Skein 1.3 specification), sequential mode: Threefish-512 chained by UBI over an
 * optional key, the 32-byte configuration block, the message, then a counter per 64 bytes of output. ZFS's
 * skein checksum is Skein-512 with 256-bit output keyed with the pool's checksum salt.
 */
public final class Skein512 {
    static final int BLOCK = 64;
    /** UBI block types, bits 120..125 of the tweak. */
    static final int TYPE_KEY = 0;
    static final int TYPE_CFG = 4;
    static final int TYPE_MSG = 48;
    static final int TYPE_OUT = 63;
    /** "SHA3" read as a little-endian word: the configuration block's schema identifier. */
    static final int SCHEMA = 0x33414853;

    private final int outBytes;
    /** The chaining value after the key and the configuration, shared by every message. */
    private final long[] start;

    /** Skein-512 with {@code outBits} of output (a whole number of bytes), keyed with {@code key} if not empty. */
    public Skein512(byte[] key, int outBits) {
        if (outBits <= 0 || outBits % 8 != 0) {
            throw new IllegalArgumentException("Skein-512 output of " + outBits + " bits");
        }
        this.outBytes = outBits / 8;
        long[] k = new long[Threefish512.WORDS];
        if (key.length > 0) {
            k = ubi(k, key, TYPE_KEY);
        }
        ByteBuffer cfg = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        cfg.putInt(0, SCHEMA).putShort(4, (short) 1).putLong(8, outBits); // version 1; tree fields 0: sequential
        this.start = ubi(k, cfg.array(), TYPE_CFG);
    }

    /** The hash of {@code message}. */
    public byte[] digest(byte[] message) {
        long[] g = ubi(start, message, TYPE_MSG);
        ByteBuffer out = ByteBuffer.allocate((outBytes + BLOCK - 1) / BLOCK * BLOCK).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer counter = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; out.hasRemaining(); i++) {
            for (long w : ubi(g, counter.putLong(0, i).array(), TYPE_OUT)) {
                out.putLong(w);
            }
        }
        return java.util.Arrays.copyOf(out.array(), outBytes);
    }

    /**
     * UBI: each 64-byte block of {@code m} (the last padded with zeros; an empty {@code m} is one zero
     * block) enciphered under the chaining value with a tweak of the bytes processed so far, its type and
     * first/final flags, and XORed with itself to give the next chaining value.
     */
    static long[] ubi(long[] g, byte[] m, int type) {
        int blocks = Math.max(1, (m.length + BLOCK - 1) / BLOCK);
        ByteBuffer padded = ByteBuffer.allocate(blocks * BLOCK).order(ByteOrder.LITTLE_ENDIAN).put(m);
        long[] h = g;
        long[] block = new long[Threefish512.WORDS];
        for (int i = 0; i < blocks; i++) {
            for (int w = 0; w < block.length; w++) {
                block[w] = padded.getLong(i * BLOCK + 8 * w);
            }
            long position = Math.min(m.length, (long) (i + 1) * BLOCK);
            long t1 = (long) type << 56 | (i == 0 ? 1L << 62 : 0) | (i == blocks - 1 ? 1L << 63 : 0);
            long[] c = Threefish512.encrypt(h, position, t1, block);
            for (int w = 0; w < c.length; w++) {
                c[w] ^= block[w];
            }
            h = c;
        }
        return h;
    }
}
