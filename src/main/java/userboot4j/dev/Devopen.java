package userboot4j.dev;

import java.util.List;
import java.util.function.Supplier;
import userboot4j.BootException;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;
import userboot4j.fs.FileSystem;

/**
 * The loader's view of all its devices as one file system (libsa's open through userboot_getdev):
 * {@code DEVICE:PATH} reads that device, a path without a device reads currdev, whatever currdev is at
 * the time.
 */
public final class Devopen implements FileSystem {
    private final Devices devices;
    private final Supplier<String> currdev;

    /** @param currdev the current {@code currdev} variable */
    public Devopen(Devices devices, Supplier<String> currdev) {
        this.devices = devices;
        this.currdev = currdev;
    }

    /** The device and the path on it that {@code path} names. */
    private Devsw.Parsed resolve(String path) throws BootException {
        if (path.startsWith("/") || path.indexOf(':') < 0) {
            return new Devsw.Parsed(devices.parse(currdev.get()).device(), path);
        }
        return devices.parse(path);
    }

    /** currdev, without its colon. */
    @Override
    public String device() {
        String d = currdev.get();
        return d.endsWith(":") ? d.substring(0, d.length() - 1) : d;
    }

    @Override
    public FileStat stat(String path) throws BootException {
        Devsw.Parsed p = resolve(path);
        return devices.fileSystem(p.device()).stat(p.path());
    }

    @Override
    public FileData open(String path) throws BootException {
        Devsw.Parsed p = resolve(path);
        return devices.fileSystem(p.device()).open(p.path());
    }

    @Override
    public List<DirEntry> readdir(String path) throws BootException {
        Devsw.Parsed p = resolve(path);
        return devices.fileSystem(p.device()).readdir(p.path());
    }
}
