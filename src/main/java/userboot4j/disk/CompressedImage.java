package userboot4j.disk;

import java.util.List;
import userboot4j.BootException;

/**
 * A disk image given as it was downloaded: a whole image in gzip, bzip2, xz or zstd. The loader reads
 * disks sector by sector and would find neither a partition table nor a file system in it; the user is
 * told to decompress it instead.
 */
final class CompressedImage {
    /** A format by the magic its files start with (RFC 1952, bzip2's "BZh" and block magic, xz, RFC 8878). */
    private record Format(String name, String tool, int[] magic) {
        boolean matches(byte[] head) {
            if (head.length < magic.length) {
                return false;
            }
            for (int i = 0; i < magic.length; i++) {
                if (magic[i] >= 0 && (head[i] & 0xff) != magic[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** -1: any byte (bzip2's block size digit). */
    private static final List<Format> FORMATS = List.of(
            new Format("gzip", "gunzip", new int[] {0x1f, 0x8b, 0x08}),
            new Format("bzip2", "bunzip2", new int[] {'B', 'Z', 'h', -1, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59}),
            new Format("xz", "unxz", new int[] {0xfd, '7', 'z', 'X', 'Z', 0x00}),
            new Format("zstd", "unzstd", new int[] {0x28, 0xb5, 0x2f, 0xfd}));

    static final int HEAD = 10;

    private CompressedImage() {
    }

    /** Refuses {@code image} when {@code head}, its first bytes, are a compressed file's. */
    static void refuse(String image, byte[] head) throws BootException {
        for (Format f : FORMATS) {
            if (f.matches(head)) {
                throw new BootException.InvalidFormat(image + " is " + f.name() + "-compressed: decompress it first ("
                        + f.tool() + " " + image + ")");
            }
        }
    }
}
