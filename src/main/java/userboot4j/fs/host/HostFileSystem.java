package userboot4j.fs.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import userboot4j.BootException;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;
import userboot4j.fs.FileSystem;
import userboot4j.fs.PathNames;
import userboot4j.fs.PathWalk;

/**
 * bhyveload's {@code -h DIR}: the loader's {@code host0:} device. Unlike bhyveload, which hands the path to
 * the host as it is, every path is resolved here one component at a time inside the directory: {@code ..}
 * cannot climb above it, symbolic links are followed only while they stay inside (an absolute target is
 * refused: on the host it would name the host's own files), and nothing but regular files and directories
 * is ever opened (a FIFO would block, a device node would be read as root).
 */
public final class HostFileSystem implements FileSystem {
    public static final String DEVICE = "host0";
    /** More symbolic links than this in one lookup is a loop. */
    static final int MAX_LINKS = 32;

    private final Path root;

    private HostFileSystem(Path root) {
        this.root = root;
    }

    public static HostFileSystem open(Path dir) throws BootException {
        Path root;
        try {
            root = dir.toRealPath();
        } catch (IOException e) {
            throw new BootException.NotFound(dir + ": host directory not found");
        }
        if (!Files.isDirectory(root)) {
            throw new BootException.InvalidFormat(dir + ": not a directory");
        }
        return new HostFileSystem(root);
    }

    @Override
    public String device() {
        return DEVICE;
    }

    /** The host path of a loader path, every symbolic link resolved inside the directory. */
    Path resolve(String path) throws BootException {
        Deque<String> todo = new ArrayDeque<>(PathNames.components(path));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.equals("..")) {
                if (done.isEmpty()) {
                    throw escape(path);
                }
                done.remove(done.size() - 1);
                continue;
            }
            if (c.indexOf('\0') >= 0) {
                throw new BootException.NotFound(DEVICE + ":" + path + ": no such file or directory");
            }
            if (c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > PathWalk.MAXNAMLEN) {
                throw new BootException.NotFound(DEVICE + ":" + path + ": file name too long"); // as the guest's readers
            }
            Path p = host(done).resolve(c);
            BasicFileAttributes a = attributes(p, path);
            if (a == null) {
                throw new BootException.NotFound(DEVICE + ":" + path + ": no such file or directory");
            }
            if (a.isSymbolicLink()) {
                if (++links > MAX_LINKS) {
                    throw new BootException.InvalidFormat(DEVICE + ":" + path + ": too many levels of symbolic links");
                }
                String target = readLink(p, path);
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
            if (!todo.isEmpty() && !a.isDirectory()) {
                throw new BootException.NotFound(DEVICE + ":" + path + ": " + c + " is not a directory");
            }
            done.add(c);
        }
        return host(done);
    }

    private BootException escape(String path) {
        return new BootException.AccessDenied(DEVICE + ":" + path + ": path leaves the host directory " + root);
    }

    private Path host(List<String> components) {
        Path p = root;
        for (String c : components) {
            p = p.resolve(c);
        }
        return p;
    }


    private static BasicFileAttributes attributes(Path p, String path) throws BootException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new BootException.Io(DEVICE + ":" + path + ": " + e.getMessage(), e);
        }
    }

    private static String readLink(Path p, String path) throws BootException {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            throw new BootException.Io(DEVICE + ":" + path + ": cannot read symbolic link: " + e.getMessage(), e);
        }
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
        BasicFileAttributes a = attributes(resolve(path), path);
        if (a == null) {
            throw new BootException.NotFound(DEVICE + ":" + path + ": no such file or directory");
        }
        return new FileStat(kind(a), a.size());
    }

    @Override
    public FileData open(String path) throws BootException {
        Path p = resolve(path);
        BasicFileAttributes a = attributes(p, path);
        if (a == null) {
            throw new BootException.NotFound(DEVICE + ":" + path + ": no such file or directory");
        }
        if (a.isDirectory()) {
            throw new BootException.InvalidFormat(DEVICE + ":" + path + ": not a regular file");
        }
        if (!a.isRegularFile()) {
            throw new BootException.AccessDenied(DEVICE + ":" + path + ": not a regular file"); // a device node
        }
        return openFile(p, path);
    }

    /**
     * A host file already known to be regular, opened without following a symbolic link; {@code name} is
     * what {@link FileData#path()} and messages call it.
     */
    public static FileData openFile(Path p, String name) throws BootException {
        try {
            FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            return new HostFile(name, ch);
        } catch (IOException e) {
            throw new BootException.Io(DEVICE + ":" + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<DirEntry> readdir(String path) throws BootException {
        Path p = resolve(path);
        BasicFileAttributes a = attributes(p, path);
        if (a == null || !a.isDirectory()) {
            throw new BootException.NotFound(DEVICE + ":" + path + ": not a directory");
        }
        List<DirEntry> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(p)) {
            for (Path e : (Iterable<Path>) s::iterator) {
                BasicFileAttributes ea = attributes(e, path);
                if (ea != null) {
                    out.add(new DirEntry(e.getFileName().toString(), kind(ea)));
                }
            }
        } catch (IOException e) {
            throw new BootException.Io(DEVICE + ":" + path + ": " + e.getMessage(), e);
        }
        return out; // in the host's readdir order, as bhyveload's readdir callback gives it
    }

    /** A regular file under the host directory, read with positional reads. */
    private static final class HostFile implements FileData {
        private final String path;
        private final FileChannel channel;
        private final long size;

        HostFile(String path, FileChannel channel) throws IOException {
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
                int done = 0;
                while (done < len) {
                    int n = channel.read(ByteBuffer.wrap(dst, off + done, len - done), pos + done);
                    if (n < 0) {
                        break;
                    }
                    done += n;
                }
                return done;
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
