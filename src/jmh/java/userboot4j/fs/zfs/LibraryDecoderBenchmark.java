package userboot4j.fs.zfs;

import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.compressors.deflate.DeflateCompressorInputStream;
import org.apache.commons.compress.compressors.deflate.DeflateParameters;
import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The decoders ZioCompress was weighed against (docs/PERFORMANCE.md), on the same blocks as
 * ZioCompressBenchmark; each gives the original back before anything is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LibraryDecoderBenchmark {
    @Param({"text", "binary"})
    public String data;

    private byte[] lz4, gzip, zstd3;

    @Setup
    public void setup() throws Exception {
        byte[] original = Blocks.original(data);
        lz4 = Blocks.compress("lz4", original);
        gzip = Blocks.compress("gzip-6", original);
        zstd3 = Blocks.compress("zstd-3", original);
        byte[][] outputs = {lz4CommonsCompress(), gzipCommonsCompress(), zstd3NewDecoderPerBlock()};
        for (int i = 0; i < outputs.length; i++) {
            if (!Arrays.equals(outputs[i], original)) {
                throw new IllegalStateException(data + ": decoder " + i + " does not give the original back");
            }
        }
    }

    @Benchmark
    public byte[] lz4CommonsCompress() throws IOException {
        try (BlockLZ4CompressorInputStream in = new BlockLZ4CompressorInputStream(
                new ByteArrayInputStream(lz4, 4, lz4.length - 4))) {
            return in.readNBytes(Blocks.SIZE);
        }
    }

    @Benchmark
    public byte[] gzipCommonsCompress() throws IOException {
        DeflateParameters zlib = new DeflateParameters();
        zlib.setWithZlibHeader(true);
        try (DeflateCompressorInputStream in = new DeflateCompressorInputStream(new ByteArrayInputStream(gzip), zlib)) {
            return in.readNBytes(Blocks.SIZE);
        }
    }

    /** What ZioCompress's one zstd decoder a thread saves: a new aircompressor decoder for every block. */
    @Benchmark
    public byte[] zstd3NewDecoderPerBlock() {
        byte[] frame = new byte[zstd3.length - ZioCompress.ZSTD_HDR + 4];
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0xFD2FB528);
        System.arraycopy(zstd3, ZioCompress.ZSTD_HDR, frame, 4, frame.length - 4);
        byte[] dst = new byte[Blocks.SIZE];
        new ZstdDecompressor().decompress(frame, 0, frame.length, dst, 0, dst.length);
        return dst;
    }
}
