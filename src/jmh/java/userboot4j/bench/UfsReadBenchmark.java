package userboot4j.bench;

import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import userboot4j.BootException;
import userboot4j.disk.DiskImage;
import userboot4j.fs.ufs.UfsFileSystem;

/** The GENERIC kernel (31.5 MB) read from a UFS2 image made by makefs (BenchData.ufs2Image). */
public class UfsReadBenchmark extends FileReadBenchmark {
    private DiskImage image;

    @Setup
    public void setup() throws Exception {
        image = DiskImage.open(BenchData.ufs2Image(), 0);
        fs = UfsFileSystem.probe(image);
        check();
    }

    @TearDown
    public void close() throws BootException {
        image.close();
    }
}
