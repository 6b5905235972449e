package userboot4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import userboot4j.BootException;
import userboot4j.fs.FileData;
import userboot4j.fs.FileSystem;

/**
 * One file opened and read whole per operation, through our FileSystem API, in 1 MiB reads as the loader
 * copies a kernel into guest memory. The image stays in the page cache; the file system is opened once.
 * Subclasses open {@link #fs} and check the file's sha256 with {@link #check} before anything is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public abstract class FileReadBenchmark {
    /** The file every operation reads. */
    protected static final String KERNEL = "/boot/kernel/kernel";

    protected FileSystem fs;
    private final byte[] buf = new byte[1 << 20];

    /** The bytes read, which JMH reports per second (the {@code :bytes} row): the read's throughput. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    /** Fails unless {@link #KERNEL} read through {@link #fs} has the GENERIC kernel's sha256. */
    protected void check() throws Exception {
        String expected = BenchData.sha256(BenchData.genericTree().resolve("boot/kernel/kernel"));
        try (FileData f = fs.open(KERNEL)) {
            String got = BenchData.sha256(f);
            if (!got.equals(expected)) {
                throw new IllegalStateException(fs.device() + ":" + KERNEL + ": sha256 " + got + ", not " + expected);
            }
        }
    }

    @Benchmark
    public int read(Bytes counter) throws BootException {
        int last = 0;
        try (FileData f = fs.open(KERNEL)) {
            for (long pos = 0, size = f.size(); pos < size; ) {
                int n = f.read(pos, buf, 0, buf.length);
                last ^= buf[n - 1];
                pos += n;
            }
            counter.bytes += f.size();
        }
        return last;
    }
}
