package userboot4j.bench;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import userboot4j.BootException;
import userboot4j.disk.DiskImage;
import userboot4j.disk.Volume;
import userboot4j.fs.zfs.Dsl;
import userboot4j.fs.zfs.Spa;
import userboot4j.fs.zfs.ZfsFileSystem;
import userboot4j.fs.zfs.ZfsPools;

/**
 * The GENERIC kernel (31.5 MB in 128 KiB records) read from fbzmodern, OpenZFS 2.1's raidz1 of three
 * disks: every block's raidz columns, fletcher4 check and decompression. The kernel is four times the
 * block cache (Dmu), so every operation reads every block again.
 */
public class ZfsReadBenchmark extends FileReadBenchmark {
    /** The boot environment, named by its compression: ROOT/default is lz4, ROOT/alt zstd. */
    @Param({"lz4", "zstd"})
    public String compression;

    private final List<DiskImage> disks = new ArrayList<>();

    @Setup
    public void setup() throws Exception {
        int unit = 0;
        for (java.nio.file.Path p : BenchData.fbzmodern()) {
            disks.add(DiskImage.open(p, unit++));
        }
        ZfsPools.Pool pool = ZfsPools.discover(new ArrayList<Volume>(disks)).get(0);
        fs = new ZfsFileSystem(new Dsl(new Spa(pool)), "fbzmodern/ROOT/" + (compression.equals("lz4") ? "default" : "alt"));
        check();
    }

    @TearDown
    public void close() throws BootException {
        for (DiskImage d : disks) {
            d.close();
        }
    }
}
