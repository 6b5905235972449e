package userboot4j.fs.zfs;

import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import userboot4j.BootException;

/**
 * Block decompression (OpenZFS zio_compress.h, lzjb.c, lz4.c, zle.c, gzip.c, zfs_zstd.c): every decoder
 * writes at most the logical size and fails, naming the block, when the input would read or copy outside
 * its bounds. LZ4 blocks and zstd frames are decoded by aircompressor (docs/PERFORMANCE.md says why).
 */
public final class ZioCompress {
    static final int OFF = 2;
    static final int LZJB = 3;
    static final int EMPTY = 4;
    static final int GZIP_1 = 5;
    static final int GZIP_9 = 13;
    static final int ZLE = 14;
    static final int LZ4 = 15;
    static final int ZSTD = 16;
    /** zfs_zstdhdr_t: big-endian c_len, then raw_version_level (which decoding does not need). */
    static final int ZSTD_HDR = 8;
    private static final int ZSTD_MAGIC = 0xFD2FB528;
    /** A zstd decoder holds about 130 KiB of tables: one a block was 8-30% slower (docs/PERFORMANCE.md). */
    private static final ThreadLocal<ZstdDecompressor> ZSTD_DECODER = ThreadLocal.withInitial(ZstdDecompressor::new);

    private ZioCompress() {
    }

    /** The logical block of {@code lsize} bytes that {@code src} (the physical block) compresses. */
    public static byte[] decompress(int type, byte[] src, int lsize, String where) throws BootException {
        byte[] dst = new byte[lsize];
        boolean ok = switch (type) {
            case OFF -> copy(src, dst);
            case EMPTY -> true;
            case LZJB -> lzjb(src, dst);
            case ZLE -> zle(src, dst);
            case LZ4 -> lz4(src, dst);
            case ZSTD -> {
                zstd(src, dst, where);
                yield true;
            }
            default -> {
                if (type < GZIP_1 || type > GZIP_9) {
                    throw new BootException.Unsupported(where + ": compression type " + type + " is not supported");
                }
                yield gzip(src, dst);
            }
        };
        if (!ok) {
            throw new BootException.InvalidFormat(where + ": compressed block (type " + type + ") is corrupt");
        }
        return dst;
    }

    private static boolean copy(byte[] src, byte[] dst) {
        if (src.length < dst.length) {
            return false;
        }
        System.arraycopy(src, 0, dst, 0, dst.length);
        return true;
    }

    /** LZJB: a map byte for every 8 items; a set bit is a 2-byte (6-bit length, 10-bit distance) match. */
    static boolean lzjb(byte[] src, byte[] dst) {
        int s = 0, d = 0, map = 0, mask = 0x80;
        while (d < dst.length) {
            if ((mask <<= 1) == 0x100) {
                if (s >= src.length) {
                    return false;
                }
                mask = 1;
                map = src[s++] & 0xff;
            }
            if ((map & mask) != 0) {
                if (s + 2 > src.length) {
                    return false;
                }
                int len = ((src[s] & 0xff) >> 2) + 3;
                int dist = ((src[s] & 0x03) << 8) | (src[s + 1] & 0xff);
                s += 2;
                int from = d - dist;
                if (from < 0) {
                    return false;
                }
                for (; len > 0 && d < dst.length; len--) {
                    dst[d++] = dst[from++];
                }
            } else {
                if (s >= src.length) {
                    return false;
                }
                dst[d++] = src[s++];
            }
        }
        return true;
    }

    /** ZLE: a byte n below 64 is n+1 literal bytes, else n-63 zero bytes. */
    static boolean zle(byte[] src, byte[] dst) {
        int s = 0, d = 0;
        while (s < src.length && d < dst.length) {
            int n = src[s++] & 0xff;
            if (n < 64) {
                if (s + n + 1 > src.length || d + n + 1 > dst.length) {
                    return false;
                }
                System.arraycopy(src, s, dst, d, n + 1);
                s += n + 1;
                d += n + 1;
            } else {
                d += n - 63;
            }
        }
        return d >= dst.length;
    }

    /** ZFS's LZ4: a big-endian 32-bit length, then one LZ4 block of that many bytes. */
    static boolean lz4(byte[] src, byte[] dst) {
        if (src.length < 4) {
            return false;
        }
        long n = ByteBuffer.wrap(src).getInt(0) & 0xffffffffL;
        if (n > src.length - 4) {
            return false;
        }
        try {
            new Lz4Decompressor().decompress(src, 4, (int) n, dst, 0, dst.length);
        } catch (RuntimeException e) {
            return false; // MalformedInputException: a match before the block, past its end, a cut sequence
        }
        return true; // like OpenZFS, a shorter output leaves the rest of the block zero
    }

    /**
     * ZFS's zstd: the header, then c_len bytes of one zstd frame written without its magic number (the
     * block's padding follows). The frame must fill the logical block exactly: ZFS compresses whole blocks.
     */
    static void zstd(byte[] src, byte[] dst, String where) throws BootException {
        if (src.length < ZSTD_HDR) {
            throw new BootException.InvalidFormat(String.format("%s: zstd block of %d bytes is shorter than its "
                    + "%d-byte header", where, src.length, ZSTD_HDR));
        }
        long cLen = ByteBuffer.wrap(src).getInt(0) & 0xffffffffL;
        if (cLen > src.length - ZSTD_HDR) {
            throw new BootException.InvalidFormat(String.format("%s: zstd header gives %d compressed bytes, the "
                    + "block holds %d after it", where, cLen, src.length - ZSTD_HDR));
        }
        // aircompressor reads only whole frames, so the magic number goes back in front
        byte[] frame = new byte[4 + (int) cLen];
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(0, ZSTD_MAGIC);
        System.arraycopy(src, ZSTD_HDR, frame, 4, (int) cLen);
        int n;
        try {
            n = ZSTD_DECODER.get().decompress(frame, 0, frame.length, dst, 0, dst.length);
        } catch (RuntimeException e) {
            // MalformedInputException for a corrupt or over-long frame; anything else is corruption too
            throw new BootException.InvalidFormat(String.format("%s: zstd frame of %d bytes is corrupt or "
                    + "longer than the %d-byte block: %s", where, cLen, dst.length,
                    e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
        }
        if (n != dst.length) {
            throw new BootException.InvalidFormat(String.format("%s: zstd frame decompresses to %d bytes, not the "
                    + "block's %d", where, n, dst.length));
        }
    }

    private static boolean gzip(byte[] src, byte[] dst) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(src);
            inf.inflate(dst);
            return inf.finished();
        } catch (DataFormatException e) {
            return false;
        } finally {
            inf.end();
        }
    }
}
