package userboot4j.fs.zfs;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import userboot4j.BootException;

/** One 128 KiB ZFS block decompressed by ZioCompress per operation, checked against its original first. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ZioCompressBenchmark {
    @Param({"lzjb", "lz4", "gzip-6", "zle", "zstd-3", "zstd-19"})
    public String algorithm;

    @Param({"text", "binary"})
    public String data;

    private byte[] block;
    private int type;

    @Setup
    public void setup() throws Exception {
        byte[] original = Blocks.original(data);
        block = Blocks.compress(algorithm, original);
        type = Blocks.type(algorithm);
        if (!Arrays.equals(decompress(), original)) {
            throw new IllegalStateException(algorithm + " " + data + ": the block does not decode to its original");
        }
        System.out.printf("%n%s %s: %d bytes compressed%n", algorithm, data, block.length);
    }

    @Benchmark
    public byte[] decompress() throws BootException {
        return ZioCompress.decompress(type, block, Blocks.SIZE, algorithm);
    }
}
