package userboot4j.fs.host;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A directory of the -h tree, looked into one name at a time and never through a symbolic link. Where the
 * JVM can (openat, fstatat: {@link SecureDirectoryStream}) the directory is held open and every name is
 * looked up relative to it, as bhyveload looks up relative to its descriptor: renaming or replacing a
 * directory once it is held changes nothing. Elsewhere the directory is its path.
 */
abstract class HostDir implements Closeable {
    private static final Set<OpenOption> READ_NOFOLLOW = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    /** Where the directory was found: for messages, and for reading symbolic links (no readlinkat here). */
    final Path path;

    private HostDir(Path path) {
        this.path = path;
    }

    /** The directory {@code dir}: held open where the JVM can and {@code hold} asks for it. */
    static HostDir open(Path dir, boolean hold) throws IOException {
        if (hold) {
            DirectoryStream<Path> s = Files.newDirectoryStream(dir);
            if (s instanceof SecureDirectoryStream<Path> held) {
                return new Held(dir, held);
            }
            s.close();
        }
        return new Named(dir);
    }

    /** The attributes of {@code name} in this directory, a symbolic link's own; null when there is none. */
    abstract BasicFileAttributes lstat(String name) throws IOException;

    /** This directory's own attributes. */
    abstract BasicFileAttributes self() throws IOException;

    /** The directory {@code name} in this one; fails if it is (now) a symbolic link. */
    abstract HostDir dir(String name) throws IOException;

    /** The file {@code name} in this one, opened for reading; fails if it is (now) a symbolic link. */
    abstract SeekableByteChannel file(String name) throws IOException;

    /** The names in this directory, in the host's readdir order. */
    abstract List<String> names() throws IOException;

    /** The target of the symbolic link {@code name} in this directory. */
    String readLink(String name) throws IOException {
        return Files.readSymbolicLink(path.resolve(name)).toString();
    }

    private static BasicFileAttributes orNull(IOExceptionSupplier<BasicFileAttributes> read) throws IOException {
        try {
            return read.get();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private interface IOExceptionSupplier<T> {
        T get() throws IOException;
    }

    /** Held open: every lookup is relative to the directory itself. */
    private static final class Held extends HostDir {
        private final SecureDirectoryStream<Path> dir;

        Held(Path path, SecureDirectoryStream<Path> dir) {
            super(path);
            this.dir = dir;
        }

        @Override
        BasicFileAttributes lstat(String name) throws IOException {
            return orNull(() -> dir.getFileAttributeView(Path.of(name), BasicFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS).readAttributes());
        }

        @Override
        BasicFileAttributes self() throws IOException {
            return dir.getFileAttributeView(BasicFileAttributeView.class).readAttributes();
        }

        @Override
        HostDir dir(String name) throws IOException {
            return new Held(path.resolve(name), dir.newDirectoryStream(Path.of(name), LinkOption.NOFOLLOW_LINKS));
        }

        @Override
        SeekableByteChannel file(String name) throws IOException {
            return dir.newByteChannel(Path.of(name), READ_NOFOLLOW);
        }

        @Override
        List<String> names() throws IOException {
            List<String> out = new ArrayList<>();
            try (SecureDirectoryStream<Path> again = dir.newDirectoryStream(Path.of("."), LinkOption.NOFOLLOW_LINKS)) {
                for (Path p : again) {
                    out.add(p.getFileName().toString());
                }
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            dir.close();
        }
    }

    /** By name: each lookup goes through the directory's path again. */
    private static final class Named extends HostDir {
        Named(Path path) {
            super(path);
        }

        @Override
        BasicFileAttributes lstat(String name) throws IOException {
            return orNull(() -> Files.readAttributes(path.resolve(name), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS));
        }

        @Override
        BasicFileAttributes self() throws IOException {
            return Files.readAttributes(path, BasicFileAttributes.class);
        }

        @Override
        HostDir dir(String name) {
            return new Named(path.resolve(name));
        }

        @Override
        SeekableByteChannel file(String name) throws IOException {
            return Files.newByteChannel(path.resolve(name), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        List<String> names() throws IOException {
            List<String> out = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(path)) {
                for (Path p : s) {
                    out.add(p.getFileName().toString());
                }
            }
            return out;
        }

        @Override
        public void close() {
        }
    }
}
