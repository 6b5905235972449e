package userboot4j.cli;

import java.nio.file.Path;
import java.util.List;
import userboot4j.BootException;
import userboot4j.disk.DeviceName;
import userboot4j.disk.Disks;
import userboot4j.disk.Volume;
import userboot4j.fs.CompressedFiles;
import userboot4j.fs.FileSystem;
import userboot4j.fs.cd9660.Cd9660FileSystem;
import userboot4j.fs.host.HostFileSystem;
import userboot4j.fs.ufs.UfsFileSystem;

/**
 * The guest's storage as bhyveload gives it to the loader: {@code -d} disks and the {@code -h} directory,
 * and the file systems on them by device name. {@code currdev} is what userboot picks: a disk device when
 * there are disks, else {@code host0}.
 */
final class GuestStorage implements AutoCloseable {
    private final Disks disks;
    private final Path hostDir;

    private GuestStorage(Disks disks, Path hostDir) {
        this.disks = disks;
        this.hostDir = hostDir;
    }

    static GuestStorage open(List<Path> images, Path hostDir) throws BootException {
        if (images.isEmpty() && hostDir == null) {
            throw new BootException.Usage("give the guest's disks with -d IMAGE, or its /boot with -h DIR");
        }
        return new GuestStorage(images.isEmpty() ? null : Disks.open(images), hostDir);
    }

    Disks disks() {
        return disks;
    }

    /** The name userboot gives currdev, without the colon. */
    String currdev() throws BootException {
        return disks != null ? disks.currdev().toString() : HostFileSystem.DEVICE;
    }

    /** The file system on device {@code name} ({@code host0}, {@code disk0p2}, …). */
    FileSystem fileSystem(String name) throws BootException {
        if (name.equals(HostFileSystem.DEVICE)) {
            if (hostDir == null) {
                throw new BootException.NotFound("host0: no host directory was given (-h)");
            }
            return new CompressedFiles(HostFileSystem.open(hostDir));
        }
        if (disks == null) {
            throw new BootException.NotFound(name + ": no disks were given (-d)");
        }
        Volume v = disks.open(DeviceName.parse(name));
        FileSystem fs = UfsFileSystem.probe(v);
        if (fs == null) {
            fs = Cd9660FileSystem.probe(v);
        }
        if (fs == null) {
            throw new BootException.Unsupported(name + ": no file system the loader can read (UFS, ISO 9660) on "
                    + "this device");
        }
        return new CompressedFiles(fs);
    }

    @Override
    public void close() throws BootException {
        if (disks != null) {
            disks.close();
        }
    }
}
