package userboot4j.fs.zfs;

import java.nio.ByteOrder;
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

/** One ZioChecksum of a 128 KiB block (kernel machine code) per operation. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChecksumBenchmark {
    @Param({"fletcher2", "fletcher4", "sha256", "sha512"})
    public String algorithm;

    private byte[] block;
    private int type;

    @Setup
    public void setup() throws Exception {
        block = Blocks.original("binary");
        type = java.util.Arrays.asList(ZioChecksum.NAMES).indexOf(algorithm);
    }

    @Benchmark
    public long[] checksum() throws BootException {
        return ZioChecksum.compute(type, block, ByteOrder.LITTLE_ENDIAN, null, algorithm);
    }
}
