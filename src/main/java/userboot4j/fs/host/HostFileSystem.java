package userboot4j.fs.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import userboot4j.BootException;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;
import userboot4j.fs.FileSystem;
import userboot4j.fs.PathNames;
import userboot4j.fs.PathWalk;

/**
 * bhyveload's {@code -h DIR}: the loader's {@code host0:} device. As FreeBSD's bhyveload since
 * FreeBSD-SA-24:01 looks paths up relative to the directory's descriptor, every path is resolved here one
 * component at a time from the directory ({@link HostDir}, held open where the JVM can): {@code ..}
 * cannot climb above it, symbolic links are followed only while they stay inside (an absolute target is
 * refused: on the host it would name the host's own files), and nothing but regular files and
 * directories is ever opened (a FIFO would block, a device node would be read as root).
 */
public final class HostFileSystem implements FileSystem {
    public static final String DEVICE = "host0";
    /** More symbolic links than this in one lookup is a loop. */
    static final int MAX_LINKS = 32;

    private final Path root;
    private final HostDir dir;

    private HostFileSystem(Path root, HostDir dir) {
        this.root = root;
        this.dir = dir;
    }

    public static HostFileSystem open(Path dir) throws BootException {
        return open(dir, true);
    }

    /** The directory {@code dir}, held open unless {@code hold} is false (as on a JVM without openat). */
    static HostFileSystem open(Path dir, boolean hold) throws BootException {
        Path root;
        try {
            root = dir.toRealPath();
        } catch (IOException e) {
            throw new BootException.NotFound(dir + ": host directory not found");
        }
        if (!Files.isDirectory(root)) {
            throw new BootException.InvalidFormat(dir + ": not a directory");
        }
        try {
            return new HostFileSystem(root, HostDir.open(root, hold));
        } catch (IOException e) {
            throw new BootException.Io(dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String device() {
        return DEVICE;
    }

    /** What a lookup found: {@code name} in {@code parent}, or (name null) the directory {@code parent} itself. */
    private interface Found<T> {
        T apply(HostDir parent, String name, BasicFileAttributes a) throws IOException, BootException;
    }

    /** Looks a loader path up inside the directory, every symbolic link resolved there, and applies {@code then}. */
    private <T> T lookup(String path, Found<T> then) throws BootException {
        Deque<String> todo = new ArrayDeque<>(PathNames.components(path));
        Deque<HostDir> opened = new ArrayDeque<>();
        List<String> done = new ArrayList<>();
        int links = 0;
        try {
            while (!todo.isEmpty()) {
                String c = todo.pollFirst();
                if (c.equals("..")) {
                    if (done.isEmpty()) {
                        throw escape(path);
                    }
                    done.remove(done.size() - 1);
                    opened.pop().close();
                    continue;
                }
                if (c.indexOf('\0') >= 0) {
                    throw new BootException.NotFound(DEVICE + ":" + path + ": no such file or directory");
                }
                if (c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > PathWalk.MAXNAMLEN) {
                    throw new BootException.NotFound(DEVICE + ":" + path + ": file name too long"); // as the guest's readers
                }
                HostDir here = opened.isEmpty() ? dir : opened.peek();
                BasicFileAttributes a = here.lstat(c);
                if (a == null) {
                    throw new BootException.NotFound(DEVICE + ":" + path + ": no such file or directory");
                }
                if (a.isSymbolicLink()) {
                    if (++links > MAX_LINKS) {
                        throw new BootException.InvalidFormat(DEVICE + ":" + path + ": too many levels of symbolic links");
                    }
                    String target = here.readLink(c);
                    if (target.startsWith("/")) {
                        throw new BootException.AccessDenied(DEVICE + ":" + path + ": symbolic link "
                                + "/" + String.join("/", done) + (done.isEmpty() ? "" : "/") + c + " -> " + target
                                + " is absolute and would leave the host directory " + root);
                    }
                    List<String> t = PathNames.components(target);
                    for (int i = t.size() - 1; i >= 0; i--) {
                        todo.addFirst(t.get(i));
                    }
                    continue;
                }
                if (todo.isEmpty()) {
                    return then.apply(here, c, a);
                }
                if (!a.isDirectory()) {
                    throw new BootException.NotFound(DEVICE + ":" + path + ": " + c + " is not a directory");
                }
                opened.push(here.dir(c));
                done.add(c);
            }
            HostDir here = opened.isEmpty() ? dir : opened.peek();
            return then.apply(here, null, here.self());
        } catch (IOException e) {
            throw new BootException.Io(DEVICE + ":" + path + ": " + e.getMessage(), e);
        } finally {
            for (HostDir d : opened) {
                try {
                    d.close();
                } catch (IOException e) {
                    // a directory only read: nothing was lost
                }
            }
        }
    }

    private BootException escape(String path) {
        return new BootException.AccessDenied(DEVICE + ":" + path + ": path leaves the host directory " + root);
    }

    private static FileStat.Kind kind(BasicFileAttributes a) {
        if (a.isRegularFile()) {
            return FileStat.Kind.REGULAR;
        }
        if (a.isDirectory()) {
            return FileStat.Kind.DIRECTORY;
        }
        return a.isSymbolicLink() ? FileStat.Kind.SYMLINK : FileStat.Kind.OTHER;
    }

    @Override
    public FileStat stat(String path) throws BootException {
        return lookup(path, (parent, name, a) -> new FileStat(kind(a), a.size()));
    }

    @Override
    public FileData open(String path) throws BootException {
        return lookup(path, (parent, name, a) -> {
            if (a.isDirectory()) {
                throw new BootException.InvalidFormat(DEVICE + ":" + path + ": not a regular file");
            }
            if (!a.isRegularFile()) {
                throw new BootException.AccessDenied(DEVICE + ":" + path + ": not a regular file"); // a device node
            }
            return new HostFile(path, parent.file(name));
        });
    }

    /**
     * A host file already known to be regular, opened without following a symbolic link; {@code name} is
     * what {@link FileData#path()} and messages call it.
     */
    public static FileData openFile(Path p, String name) throws BootException {
        try {
            return new HostFile(name, FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new BootException.Io(DEVICE + ":" + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<DirEntry> readdir(String path) throws BootException {
        return lookup(path, (parent, name, a) -> {
            if (!a.isDirectory()) {
                throw new BootException.NotFound(DEVICE + ":" + path + ": not a directory");
            }
            try (HostDir d = name == null ? null : parent.dir(name)) {
                HostDir listed = d == null ? parent : d;
                List<DirEntry> out = new ArrayList<>();
                for (String n : listed.names()) {
                    BasicFileAttributes ea = listed.lstat(n);
                    if (ea != null) {
                        out.add(new DirEntry(n, kind(ea)));
                    }
                }
                return out; // in the host's readdir order, as bhyveload's readdir callback gives it
            }
        });
    }

    /** Lets the directory go (bhyveload keeps its descriptor until it exits). */
    @Override
    public void close() throws BootException {
        try {
            dir.close();
        } catch (IOException e) {
            throw new BootException.Io(DEVICE + ": " + e.getMessage(), e);
        }
    }

    /** A regular file under the host directory. */
    private static final class HostFile implements FileData {
        private final String path;
        private final SeekableByteChannel channel;
        private final long size;

        HostFile(String path, SeekableByteChannel channel) throws IOException {
            this.path = path;
            this.channel = channel;
            this.size = channel.size();
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int read(long pos, byte[] dst, int off, int len) throws BootException {
            try {
                synchronized (channel) {
                    channel.position(pos);
                    int done = 0;
                    while (done < len) {
                        int n = channel.read(ByteBuffer.wrap(dst, off + done, len - done));
                        if (n < 0) {
                            break;
                        }
                        done += n;
                    }
                    return done;
                }
            } catch (IOException e) {
                throw new BootException.Io(DEVICE + ":" + path + ": read at offset " + pos + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws BootException {
            try {
                channel.close();
            } catch (IOException e) {
                throw new BootException.Io(DEVICE + ":" + path + ": " + e.getMessage(), e);
            }
        }
    }
}
