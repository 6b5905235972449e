package userboot4j.fs.zfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import userboot4j.bench.BenchData;
import userboot4j.elf.ElfFile;
import userboot4j.elf.SectionHeader;
import userboot4j.fs.FileData;

/**
 * The 128 KiB blocks the benchmarks work on, cut from FreeBSD 13.2's boot tree ({@link BenchData}), and
 * their compressed forms as ZFS stores them. lz4 and zstd blocks come from the lz4 and zstd command-line
 * tools, gzip from zlib (through Deflater); lzjb and zle have no tool outside ZFS, so they are compressed
 * here.
 */
final class Blocks {
    static final int SIZE = 128 << 10;

    private Blocks() {
    }

    /**
     * {@code binary}: kernel machine code (128 KiB at file offset 4 MiB, inside .text); {@code text}: the
     * loader's Lua scripts, defaults/loader.conf and device.hints, topped up with the kernel's symbol names.
     */
    static byte[] original(String kind) throws Exception {
        Path boot = BenchData.genericTree().resolve("boot");
        byte[] kernel = Files.readAllBytes(boot.resolve("kernel/kernel"));
        if (kind.equals("binary")) {
            return Arrays.copyOfRange(kernel, 4 << 20, (4 << 20) + SIZE);
        }
        ByteBuffer text = ByteBuffer.allocate(SIZE);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> lua = Files.list(boot.resolve("lua"))) {
            lua.sorted().forEach(files::add);
        }
        files.add(boot.resolve("defaults/loader.conf"));
        files.add(boot.resolve("device.hints"));
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            text.put(b, 0, Math.min(b.length, text.remaining()));
        }
        ElfFile elf = ElfFile.read(FileData.of("kernel", kernel));
        SectionHeader strtab = elf.section(".strtab").orElseThrow();
        text.put(elf.sectionData(strtab), 0, text.remaining());
        return text.array();
    }

    /** ZFS's form of {@code data} compressed with {@code algorithm} (lzjb, lz4, gzip-6, zle, zstd-3, zstd-19). */
    static byte[] compress(String algorithm, byte[] data) throws Exception {
        return switch (algorithm) {
            case "lzjb" -> lzjb(data);
            case "lz4" -> lz4(data);
            case "gzip-6" -> gzip(data);
            case "zle" -> zle(data);
            case "zstd-3" -> zstd(data, 3);
            case "zstd-19" -> zstd(data, 19);
            default -> throw new IllegalArgumentException(algorithm);
        };
    }

    /** The block pointer's compression type for {@code algorithm}. */
    static int type(String algorithm) {
        return switch (algorithm) {
            case "lzjb" -> ZioCompress.LZJB;
            case "lz4" -> ZioCompress.LZ4;
            case "gzip-6" -> ZioCompress.GZIP_1 + 5;
            case "zle" -> ZioCompress.ZLE;
            default -> ZioCompress.ZSTD;
        };
    }

    /** ZFS's lz4: big-endian length, then the one LZ4 block of the lz4 tool's frame. */
    private static byte[] lz4(byte[] data) throws Exception {
        ByteBuffer f = ByteBuffer.wrap(tool(data, "lz4", "-q", "-f", "-1", "-B5", "--no-frame-crc", "in", "out"))
                .order(ByteOrder.LITTLE_ENDIAN);
        int flg = f.get(4);
        int pos = 6 + ((flg & 0x08) != 0 ? 8 : 0) + ((flg & 0x01) != 0 ? 4 : 0) + 1;
        int size = f.getInt(pos);
        if (size < 0) {
            throw new IllegalStateException("lz4 stored the block uncompressed");
        }
        return ByteBuffer.allocate(4 + size).putInt(size).put(f.array(), pos + 4, size).array();
    }

    /** ZFS's zstd: c_len and version/level, then the zstd tool's frame without magic, checksum or size. */
    private static byte[] zstd(byte[] data, int level) throws Exception {
        byte[] frame = tool(data, "zstd", "-q", "-f", "-" + level, "--no-check", "--no-content-size", "in", "-o", "out");
        return ByteBuffer.allocate(ZioCompress.ZSTD_HDR + frame.length - 4).putInt(frame.length - 4)
                .putInt(level << 24 | 10405).put(frame, 4, frame.length - 4).array();
    }

    /** ZFS's gzip-6: a zlib stream. */
    private static byte[] gzip(byte[] data) {
        Deflater d = new Deflater(6);
        d.setInput(data);
        d.finish();
        byte[] out = new byte[data.length + 1024];
        int n = d.deflate(out);
        d.end();
        return Arrays.copyOf(out, n);
    }

    /** Greedy LZJB: one hash slot per 3-byte prefix, matches of 3 to 66 bytes up to 1023 bytes back. */
    private static byte[] lzjb(byte[] src) {
        byte[] out = new byte[src.length + src.length / 8 + 1];
        int[] last = new int[1024];
        Arrays.fill(last, -1);
        int s = 0, d = 0, map = 0, bit = 8;
        while (s < src.length) {
            if (bit == 8) {
                map = d++;
                bit = 0;
            }
            int len = 0, dist = 0;
            if (s + 3 <= src.length) {
                int h = ((src[s] & 0xff) << 16 | (src[s + 1] & 0xff) << 8 | (src[s + 2] & 0xff)) * 0x9E3779B1 >>> 22;
                int from = last[h];
                last[h] = s;
                if (from >= 0 && s - from < 1024) {
                    while (len < 66 && s + len < src.length && src[from + len] == src[s + len]) {
                        len++;
                    }
                    dist = s - from;
                }
            }
            if (len >= 3) {
                out[map] |= (byte) (1 << bit);
                out[d++] = (byte) ((len - 3) << 2 | dist >> 8);
                out[d++] = (byte) dist;
                s += len;
            } else {
                out[d++] = src[s++];
            }
            bit++;
        }
        return Arrays.copyOf(out, d);
    }

    /** ZLE: runs of two or more zero bytes become one byte (up to 192 zeros), the rest literal runs of up to 64. */
    private static byte[] zle(byte[] src) {
        byte[] out = new byte[src.length + src.length / 64 + 1];
        int s = 0, d = 0;
        while (s < src.length) {
            int zeros = 0;
            while (zeros < 192 && s + zeros < src.length && src[s + zeros] == 0) {
                zeros++;
            }
            if (zeros >= 2) {
                out[d++] = (byte) (zeros + 63);
                s += zeros;
                continue;
            }
            int lit = 1;
            while (lit < 64 && s + lit < src.length
                    && !(src[s + lit] == 0 && s + lit + 1 < src.length && src[s + lit + 1] == 0)) {
                lit++;
            }
            out[d++] = (byte) (lit - 1);
            System.arraycopy(src, s, out, d, lit);
            d += lit;
            s += lit;
        }
        return Arrays.copyOf(out, d);
    }

    /** The output file {@code out} of a tool run on {@code data} written to {@code in}. */
    private static byte[] tool(byte[] data, String... cmd) throws Exception {
        Path dir = Files.createTempDirectory("userboot4j-jmh-");
        try {
            Files.write(dir.resolve("in"), data);
            BenchData.run(dir, cmd);
            return Files.readAllBytes(dir.resolve("out"));
        } finally {
            Files.deleteIfExists(dir.resolve("in"));
            Files.deleteIfExists(dir.resolve("out"));
            Files.delete(dir);
        }
    }
}
