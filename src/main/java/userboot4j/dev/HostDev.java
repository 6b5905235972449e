package userboot4j.dev;

import java.nio.file.Path;
import java.util.List;
import userboot4j.BootException;
import userboot4j.fs.FileSystem;
import userboot4j.fs.host.HostFileSystem;

/** userboot's host device: bhyveload's {@code -h} directory as {@code host0:}, listed even without one. */
final class HostDev implements Devsw {
    private final Path dir;

    /** @param dir the {@code -h} directory, or null */
    HostDev(Path dir) {
        this.dir = dir;
    }

    /** A host device; every unit reads the one directory, as userboot's host callbacks ignore the unit. */
    record Desc(HostDev devsw, int unit) implements Devdesc {
        @Override
        public String toString() {
            return "host" + unit + ":";
        }
    }

    Desc host0() {
        return new Desc(this, 0);
    }

    @Override
    public String name() {
        return "host";
    }

    @Override
    public List<String> print(boolean verbose) {
        return List.of("host devices:", "    host0:   Host filesystem");
    }

    /** The loader's default parse: an optional decimal unit, then the colon or the end. */
    @Override
    public Parsed parse(String spec) throws BootException {
        int at = name().length();
        int end = at;
        while (end < spec.length() && Character.isDigit(spec.charAt(end))) {
            end++;
        }
        if (end < spec.length() && spec.charAt(end) != ':') {
            throw new DeviceException(spec, end == at ? DeviceException.EUNIT : DeviceException.EINVAL);
        }
        int unit;
        try {
            unit = end == at ? 0 : Integer.parseInt(spec.substring(at, end));
        } catch (NumberFormatException e) {
            throw new DeviceException(spec, DeviceException.EUNIT);
        }
        return new Parsed(new Desc(this, unit), end < spec.length() ? spec.substring(end + 1) : "");
    }

    @Override
    public FileSystem open(Devdesc d) throws BootException {
        if (dir == null) {
            throw new BootException.NotFound(d + " no host directory was given (-h)");
        }
        return HostFileSystem.open(dir);
    }
}
