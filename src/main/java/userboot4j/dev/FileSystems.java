package userboot4j.dev;

import java.util.List;
import userboot4j.BootException;
import userboot4j.disk.Volume;
import userboot4j.fs.CompressedFiles;
import userboot4j.fs.FileSystem;
import userboot4j.fs.cd9660.Cd9660FileSystem;
import userboot4j.fs.ufs.UfsFileSystem;

/**
 * conf.c's file_system table for block devices: each reader tried in order on a disk range, the first that
 * recognises it reads it. ZFS datasets and the host directory come with their own devices. Every file
 * system is seen through gzipfs and bzipfs, which find {@code NAME.gz} and {@code NAME.bz2} for a missing
 * {@code NAME}.
 */
final class FileSystems {
    /** A reader's probe: its file system on the range, or null when the range is not one of its. */
    private interface Probe {
        FileSystem probe(Volume v) throws BootException;
    }

    private static final List<Probe> TABLE = List.of(UfsFileSystem::probe, Cd9660FileSystem::probe);

    private FileSystems() {
    }

    /** The file system on {@code v}; none the loader reads is a missing file, as its open says. */
    static FileSystem probe(Volume v) throws BootException {
        for (Probe p : TABLE) {
            FileSystem fs = p.probe(v);
            if (fs != null) {
                return fs;
            }
        }
        throw new BootException.NotFound(v.name() + ": no file system the loader can read (UFS, ISO 9660) on "
                + "this device");
    }

    /** The gzip and bzip2 decorators around {@code fs}. */
    static FileSystem decorated(FileSystem fs) {
        return new CompressedFiles(fs);
    }
}
