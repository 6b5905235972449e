package userboot4j.dev;

import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    /** A directory entry for those outside the loader: its name, kind (lower case) and size (0 for a link). */
    public record Listing(String name, String kind, long size) {
    }

    /** The entries of the directory {@code path}, each with its size when {@code sizes} (a stat per entry). */
    public List<Listing> list(String path, boolean sizes) throws BootException {
        String dir = path.endsWith("/") || path.endsWith(":") ? path : path + "/";
        List<Listing> out = new ArrayList<>();
        for (DirEntry e : readdir(path)) {
            boolean sized = sizes && e.kind() != FileStat.Kind.SYMLINK;
            out.add(new Listing(e.name(), e.kind().name().toLowerCase(Locale.ROOT), sized ? stat(dir + e.name()).size() : 0));
        }
        return out;
    }

    /** Copies the file {@code path} to {@code out}. */
    public void copy(String path, WritableByteChannel out) throws BootException {
        try (FileData f = open(path)) {
            f.transferTo(out);
        }
    }
}
