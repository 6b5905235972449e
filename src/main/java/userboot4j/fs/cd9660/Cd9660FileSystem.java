package userboot4j.fs.cd9660;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import userboot4j.BootException;
import userboot4j.disk.Volume;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;
import userboot4j.fs.FileSystem;
import userboot4j.fs.PathWalk;

/**
 * ISO 9660 with Rock Ridge, read-only, as FreeBSD's install media are made: the primary volume descriptor
 * at 32 KiB, directories as records that never cross a logical block, names from Rock Ridge's NM when
 * present (else the ISO name, matched without case), symbolic links from SL, files as one extent.
 */
public final class Cd9660FileSystem implements FileSystem {
    static final long PVD = 16 * 2048;
    static final int MAX_LINKS = 32;
    /** Directories larger than this are refused instead of read whole. */
    static final long MAX_DIRECTORY = 16L << 20;

    private final Volume volume;
    private final int blockSize;
    private final DirectoryRecord root;
    private final int suspSkip;

    private Cd9660FileSystem(Volume volume, int blockSize, DirectoryRecord root, int suspSkip) {
        this.volume = volume;
        this.blockSize = blockSize;
        this.root = root;
        this.suspSkip = suspSkip;
    }

    /** The ISO 9660 file system on {@code v}, or null when there is no primary volume descriptor. */
    public static Cd9660FileSystem probe(Volume v) throws BootException {
        if (v.size() < PVD + 2048) {
            return null;
        }
        ByteBuffer pvd = v.read(PVD, 2048);
        if (pvd.get(0) != 1 || !"CD001".equals(new String(pvd.array(), 1, 5, StandardCharsets.US_ASCII))) {
            return null;
        }
        int bs = pvd.getShort(128) & 0xffff;
        if (bs != 512 && bs != 1024 && bs != 2048) {
            throw new BootException.InvalidFormat(v.name() + ": ISO 9660 logical block size " + bs);
        }
        DirectoryRecord root = DirectoryRecord.decode(pvd, 156, 0);
        Cd9660FileSystem fs = new Cd9660FileSystem(v, bs, root, 0);
        // Rock Ridge: the root's "." record carries SUSP's SP entry with the skip length.
        ByteBuffer first = fs.extent(root, "/", bs);
        DirectoryRecord dot = DirectoryRecord.decode(first, 0, 0);
        int skip = 0;
        if (dot.length() >= dot.systemUse() + 7 && first.get(dot.systemUse()) == 'S' && first.get(dot.systemUse() + 1) == 'P') {
            skip = first.get(dot.systemUse() + 6) & 0xff;
        }
        return new Cd9660FileSystem(v, bs, root, skip);
    }

    @Override
    public String device() {
        return volume.name();
    }

    private ByteBuffer extent(DirectoryRecord r, String path, long len) throws BootException {
        long at = r.extent() * blockSize;
        if (at < 0 || len < 0 || at + len > volume.size()) {
            throw new BootException.InvalidFormat(String.format("%s:%s: extent at block %d (%d bytes) lies past "
                    + "the end of the device", volume.name(), path, r.extent(), len));
        }
        return volume.read(at, (int) len);
    }

    /** A SUSP continuation area, bounded to one logical block as SUSP requires. */
    private ByteBuffer continuation(long block, long offset, long length) throws BootException {
        if (offset + length > blockSize) {
            throw new BootException.InvalidFormat(String.format("%s: Rock Ridge continuation at block %d offset %d "
                    + "length %d crosses its block", volume.name(), block, offset, length));
        }
        long at = block * blockSize + offset;
        if (at < 0 || at + length > volume.size()) {
            throw new BootException.InvalidFormat(String.format("%s: Rock Ridge continuation at block %d lies past "
                    + "the end of the device", volume.name(), block));
        }
        return volume.read(at, (int) length);
    }

    private List<DirectoryRecord> records(DirectoryRecord dir, String path) throws BootException {
        if (dir.size() > MAX_DIRECTORY) {
            throw new BootException.InvalidFormat(volume.name() + ":" + path + ": directory of " + dir.size() + " bytes");
        }
        ByteBuffer b = extent(dir, path, dir.size());
        List<DirectoryRecord> out = new ArrayList<>();
        int p = 0;
        while (p < b.capacity()) {
            int len = b.get(p) & 0xff;
            if (len == 0) {
                p = (p / blockSize + 1) * blockSize; // records never cross a block: the rest is padding
                continue;
            }
            if (len < 34 || p + len > b.capacity() || (p % blockSize) + len > blockSize
                    || 33 + (b.get(p + 32) & 0xff) > len) {
                throw new BootException.InvalidFormat(String.format("%s:%s: directory record at offset %d has "
                        + "length %d that breaks its block", volume.name(), path, p, len));
            }
            DirectoryRecord r = DirectoryRecord.decode(b, p, suspSkip, this::continuation);
            if (!r.isoName().equals(".") && !r.isoName().equals("..")) {
                out.add(r);
            }
            p += len;
        }
        return out;
    }

    private DirectoryRecord lookup(String path) throws BootException {
        return new PathWalk<>(new PathWalk.Nodes<DirectoryRecord>() {
            @Override
            public DirectoryRecord root() {
                return root;
            }

            @Override
            public boolean isDirectory(DirectoryRecord r) {
                return r.directory();
            }

            @Override
            public DirectoryRecord child(DirectoryRecord dir, String name, String p) throws BootException {
                for (DirectoryRecord r : records(dir, p)) {
                    if (r.rrName() != null ? r.rrName().equals(name) : r.name().equalsIgnoreCase(name)) {
                        return r;
                    }
                }
                return null;
            }

            @Override
            public String link(DirectoryRecord r, String p) throws BootException {
                if (r.isSymlink() && r.symlink() == null) {
                    throw new BootException.InvalidFormat(volume.name() + ":" + p + ": unusable symbolic link");
                }
                return r.isSymlink() ? r.symlink() : null;
            }
        }, volume.name(), MAX_LINKS, false).lookup(path);
    }

    @Override
    public FileStat stat(String path) throws BootException {
        DirectoryRecord r = lookup(path);
        return new FileStat(r.directory() ? FileStat.Kind.DIRECTORY : FileStat.Kind.REGULAR, r.size());
    }

    @Override
    public FileData open(String path) throws BootException {
        DirectoryRecord r = lookup(path);
        if (r.directory()) {
            throw new BootException.InvalidFormat(volume.name() + ":" + path + ": not a regular file");
        }
        long base = r.extent() * blockSize;
        if (base < 0 || base + r.size() > volume.size()) {
            throw new BootException.InvalidFormat(String.format("%s:%s: extent at block %d (%d bytes) lies past "
                    + "the end of the device", volume.name(), path, r.extent(), r.size()));
        }
        return FileData.of(path, r.size(), (pos, dst, off, len) -> volume.read(base + pos, dst, off, len));
    }

    @Override
    public List<DirEntry> readdir(String path) throws BootException {
        DirectoryRecord d = lookup(path);
        if (!d.directory()) {
            throw new BootException.NotFound(volume.name() + ":" + path + ": not a directory");
        }
        List<DirEntry> out = new ArrayList<>();
        for (DirectoryRecord r : records(d, path)) {
            out.add(new DirEntry(r.name(), r.isSymlink() ? FileStat.Kind.SYMLINK
                    : r.directory() ? FileStat.Kind.DIRECTORY : FileStat.Kind.REGULAR));
        }
        return out;
    }

    /** The target of the Rock Ridge symbolic link at {@code path} (not followed). */
    public String readlink(String path) throws BootException {
        int slash = path.lastIndexOf('/');
        DirectoryRecord dir = lookup(path.substring(0, Math.max(slash, 0)));
        for (DirectoryRecord r : records(dir, path)) {
            if (r.name().equals(path.substring(slash + 1)) && r.isSymlink()) {
                return r.symlink();
            }
        }
        throw new BootException.NotFound(volume.name() + ":" + path + ": no such symbolic link");
    }
}
