package userboot4j.fs.ufs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import userboot4j.BootException;
import userboot4j.disk.Volume;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;
import userboot4j.fs.FileSystem;
import userboot4j.fs.PathWalk;

/**
 * UFS1 and UFS2, read-only, as the FreeBSD loader reads them (stand/libsa/ufs.c): inodes through the
 * cylinder-group geometry, file blocks through direct and single, double and triple indirect pointers
 * (a zero pointer is a hole), directories as {@code struct direct} records, symlinks short (in the inode)
 * and long (in a block), at most 32 per lookup. Every pointer and length from the disk is checked.
 */
public final class UfsFileSystem implements FileSystem {
    static final int ROOTINO = 2;
    static final int MAXNAMLEN = 255;
    static final int MAXSYMLINKS = 32;
    static final int DIRBLKSIZ = 512;
    /** Directories larger than this are refused instead of read whole. */
    static final long MAX_DIRECTORY = 64L << 20;
    private static final int INDIRECT_CACHE = 64;

    private final Volume volume;
    private final Superblock sb;
    private final Map<Long, ByteBuffer> indirect = new LinkedHashMap<>(INDIRECT_CACHE, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ByteBuffer> e) {
            return size() > INDIRECT_CACHE;
        }
    };

    private UfsFileSystem(Volume volume, Superblock sb) {
        this.volume = volume;
        this.sb = sb;
    }

    /** The UFS on {@code v}, or null when there is no UFS superblock. */
    public static UfsFileSystem probe(Volume v) throws BootException {
        Superblock sb = Superblock.find(v);
        return sb == null ? null : new UfsFileSystem(v, sb);
    }

    public Superblock superblock() {
        return sb;
    }

    @Override
    public String device() {
        return volume.name();
    }

    private BootException bad(String path, String what) {
        return new BootException.InvalidFormat(volume.name() + ":" + path + ": " + what);
    }

    Dinode inode(long ino, String path) throws BootException {
        if (ino < ROOTINO || ino >= sb.ncg() * sb.ipg()) {
            throw bad(path, "inode number " + ino + " is out of range");
        }
        int size = sb.version() == 1 ? 128 : 256;
        long at = sb.byteOffset(sb.inodeBlock(ino)) + (ino % sb.inopb()) * size;
        if (at < 0 || at + size > volume.size()) {
            throw bad(path, String.format("inode %d at offset 0x%x lies past the end of the device", ino, at));
        }
        return Dinode.decode(volume.read(at, size), 0, sb.version());
    }

    /** The fragment address of logical block {@code lbn} of a file; 0 for a hole. */
    private long block(Dinode d, long lbn, String path) throws BootException {
        if (lbn < Dinode.NDADDR) {
            return checkPointer(d.db()[(int) lbn], path);
        }
        long rest = lbn - Dinode.NDADDR;
        long span = sb.nindir();
        for (int level = 0; level < Dinode.NIADDR; level++) {
            if (rest < span) {
                long ptr = checkPointer(d.ib()[level], path);
                for (long per = span / sb.nindir(); ptr != 0; per /= sb.nindir()) {
                    ByteBuffer b = indirectBlock(ptr, path);
                    int idx = (int) ((rest / per) % sb.nindir());
                    ptr = checkPointer(sb.version() == 1 ? b.getInt(4 * idx) : b.getLong(8 * idx), path);
                    if (per == 1) {
                        return ptr;
                    }
                }
                return 0;
            }
            rest -= span;
            span *= sb.nindir();
        }
        throw bad(path, "block " + lbn + " is beyond triple indirection");
    }

    private long checkPointer(long frag, String path) throws BootException {
        if (frag < 0 || frag >= sb.size()) {
            throw bad(path, String.format("block pointer %d lies outside the file system (fragments 0 to %d)", frag,
                    sb.size() - 1));
        }
        if (sb.byteOffset(frag) > volume.size()) {
            throw bad(path, String.format("block pointer %d (fragment, byte 0x%x) lies past the end of the device "
                    + "(0x%x bytes): the image is shorter than its file system says", frag, sb.byteOffset(frag),
                    volume.size()));
        }
        return frag;
    }

    private ByteBuffer indirectBlock(long frag, String path) throws BootException {
        ByteBuffer b = indirect.get(frag);
        if (b == null) {
            b = readBlock(frag, sb.bsize(), path);
            indirect.put(frag, b);
        }
        return b;
    }

    private ByteBuffer readBlock(long frag, int len, String path) throws BootException {
        long at = sb.byteOffset(frag);
        if (at + len > volume.size()) {
            throw bad(path, String.format("block at offset 0x%x lies past the end of the device", at));
        }
        return volume.read(at, len).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Reads {@code len} bytes of a file at {@code pos} (within its size) into {@code dst}. */
    void readFile(Dinode d, String path, long pos, byte[] dst, int off, int len) throws BootException {
        int bsize = sb.bsize();
        int done = 0;
        while (done < len) {
            long p = pos + done;
            long lbn = p >> sb.bshift();
            int in = (int) (p & (bsize - 1));
            int n = Math.min(len - done, bsize - in);
            long frag = block(d, lbn, path);
            if (frag == 0) {
                java.util.Arrays.fill(dst, off + done, off + done + n, (byte) 0);
            } else {
                // Extend the read over the following blocks while they are contiguous on disk.
                while (n < len - done && ((p + n) & (bsize - 1)) == 0) {
                    long next = block(d, (p + n) >> sb.bshift(), path);
                    if (next != frag + (long) (n + in) / sb.fsize()) {
                        break;
                    }
                    n = Math.min(len - done, n + bsize);
                }
                long at = sb.byteOffset(frag) + in;
                if (at + n > volume.size()) {
                    throw bad(path, String.format("data at offset 0x%x lies past the end of the device", at));
                }
                volume.read(at, dst, off + done, n);
            }
            done += n;
        }
    }

    private record Found(long ino, Dinode inode) {
    }

    /** Path lookup as ufs.c does it: from the root, following symlinks (at most 32). */
    private Found lookup(String path) throws BootException {
        return new PathWalk<>(new PathWalk.Nodes<Found>() {
            @Override
            public Found root() throws BootException {
                return new Found(ROOTINO, inode(ROOTINO, "/"));
            }

            @Override
            public boolean isDirectory(Found f) {
                return f.inode().type() == Dinode.IFDIR;
            }

            @Override
            public Found child(Found dir, String name, String p) throws BootException {
                long ino = search(dir, name, p);
                return ino == 0 ? null : new Found(ino, inode(ino, p));
            }

            @Override
            public String link(Found f, String p) throws BootException {
                return f.inode().type() == Dinode.IFLNK ? linkTarget(f.inode(), p) : null;
            }
        }, volume.name(), MAXSYMLINKS, false).lookup(path);
    }

    String linkTarget(Dinode d, String path) throws BootException {
        if (d.size() < 0 || d.size() > PathWalk.MAXPATHLEN) {
            throw bad(path, "symbolic link of " + d.size() + " bytes");
        }
        int len = (int) d.size();
        if (len < sb.maxsymlinklen()) {
            return new String(d.shortLink(), 0, Math.min(len, d.shortLink().length), StandardCharsets.UTF_8);
        }
        byte[] b = new byte[len];
        readFile(d, path, 0, b, 0, len);
        return new String(b, StandardCharsets.UTF_8);
    }

    private record Entry(long ino, int type, String name) {
    }

    /** The entries of a directory inode, each checked against the directory block it lies in. */
    private List<Entry> entries(Dinode dir, String path) throws BootException {
        if (dir.size() < 0 || dir.size() > MAX_DIRECTORY) {
            throw bad(path, "directory of " + dir.size() + " bytes");
        }
        byte[] data = new byte[(int) dir.size()];
        readFile(dir, path, 0, data, 0, data.length);
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        List<Entry> out = new ArrayList<>();
        int p = 0;
        while (p + 8 <= data.length) {
            long ino = b.getInt(p) & 0xffffffffL;
            int reclen = b.getShort(p + 4) & 0xffff;
            int namlen = sb.maxsymlinklen() <= 0 ? b.getShort(p + 6) & 0xffff : b.get(p + 7) & 0xff;
            int type = sb.maxsymlinklen() <= 0 ? 0 : b.get(p + 6) & 0xff;
            if (reclen < 8 || reclen % 4 != 0 || (p % DIRBLKSIZ) + reclen > DIRBLKSIZ || 8 + namlen > reclen
                    || reclen > data.length - p) { // a directory whose size is not whole blocks
                throw bad(path, String.format("directory entry at offset %d has length %d (name %d) that breaks its "
                        + "block", p, reclen, namlen));
            }
            if (ino != 0) {
                out.add(new Entry(ino, type, new String(data, p + 8, namlen, StandardCharsets.UTF_8)));
            }
            p += reclen;
        }
        return out;
    }

    private long search(Found dir, String name, String path) throws BootException {
        for (Entry e : entries(dir.inode(), path)) {
            if (e.name().equals(name)) {
                return e.ino();
            }
        }
        return 0;
    }

    private static FileStat.Kind kind(Dinode d) {
        return switch (d.type()) {
            case Dinode.IFREG -> FileStat.Kind.REGULAR;
            case Dinode.IFDIR -> FileStat.Kind.DIRECTORY;
            case Dinode.IFLNK -> FileStat.Kind.SYMLINK;
            default -> FileStat.Kind.OTHER;
        };
    }

    @Override
    public FileStat stat(String path) throws BootException {
        Dinode d = lookup(path).inode();
        return new FileStat(kind(d), d.size());
    }

    @Override
    public FileData open(String path) throws BootException {
        Dinode d = lookup(path).inode();
        if (d.type() != Dinode.IFREG) {
            throw new BootException.InvalidFormat(volume.name() + ":" + path + ": not a regular file");
        }
        if (d.size() < 0) {
            throw bad(path, "negative size");
        }
        return new FileData() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public long size() {
                return d.size();
            }

            @Override
            public int read(long pos, byte[] dst, int off, int len) throws BootException {
                if (pos >= d.size()) {
                    return 0;
                }
                int n = (int) Math.min(len, d.size() - pos);
                readFile(d, path, pos, dst, off, n);
                return n;
            }

            @Override
            public void transferTo(java.nio.channels.WritableByteChannel out) throws BootException {
                copy(d, path, out);
            }

            @Override
            public void close() {
            }
        };
    }

    /** The file's bytes to {@code out}: runs of contiguous blocks by the device, holes as zeros. */
    void copy(Dinode d, String path, java.nio.channels.WritableByteChannel out) throws BootException {
        long size = d.size();
        long blocks = (size + sb.bsize() - 1) >> sb.bshift();
        long runStart = -1;
        long runFrag = 0;
        long runLen = 0;
        for (long lbn = 0; lbn <= blocks; lbn++) {
            long frag = lbn < blocks ? block(d, lbn, path) : -1;
            long len = lbn < blocks ? Math.min(sb.bsize(), size - (lbn << sb.bshift())) : 0;
            if (runStart >= 0 && frag == runFrag + runLen / sb.fsize() && frag > 0 && runLen % sb.bsize() == 0) {
                runLen += len;
                continue;
            }
            if (runStart >= 0) {
                volume.transferTo(sb.byteOffset(runFrag), runLen, out);
                runStart = -1;
            }
            if (frag == 0) {
                zeros(out, len);
            } else if (frag > 0) {
                runStart = lbn;
                runFrag = frag;
                runLen = len;
            }
        }
    }

    private static void zeros(java.nio.channels.WritableByteChannel out, long len) throws BootException {
        try {
            ByteBuffer z = ByteBuffer.allocate((int) len);
            while (z.hasRemaining()) {
                out.write(z);
            }
        } catch (java.io.IOException e) {
            throw new BootException.Io("copy: " + e.getMessage(), e);
        }
    }

    @Override
    public List<DirEntry> readdir(String path) throws BootException {
        Dinode d = lookup(path).inode();
        if (d.type() != Dinode.IFDIR) {
            throw new BootException.NotFound(volume.name() + ":" + path + ": not a directory");
        }
        List<DirEntry> out = new ArrayList<>();
        for (Entry e : entries(d, path)) {
            if (!e.name().equals(".") && !e.name().equals("..")) {
                out.add(new DirEntry(e.name(), e.type() == 0 ? kind(inode(e.ino(), path)) : switch (e.type()) {
                    case 4 -> FileStat.Kind.DIRECTORY;
                    case 8 -> FileStat.Kind.REGULAR;
                    case 10 -> FileStat.Kind.SYMLINK;
                    default -> FileStat.Kind.OTHER;
                }));
            }
        }
        return out;
    }

    /** The target of the symbolic link at {@code path} (not followed). */
    public String readlink(String path) throws BootException {
        int slash = path.lastIndexOf('/');
        Found dir = lookup(path.substring(0, Math.max(slash, 0)));
        long ino = search(dir, path.substring(slash + 1), path);
        if (ino == 0) {
            throw new BootException.NotFound(volume.name() + ":" + path + ": no such file");
        }
        Dinode d = inode(ino, path);
        if (d.type() != Dinode.IFLNK) {
            throw new BootException.InvalidFormat(volume.name() + ":" + path + ": not a symbolic link");
        }
        return linkTarget(d, path);
    }
}
