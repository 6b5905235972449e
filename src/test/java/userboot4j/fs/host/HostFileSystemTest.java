package userboot4j.fs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import userboot4j.BootException;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;

/**
 * The -h directory: reads work inside it, and nothing reaches outside it or opens a special file; the same
 * with the directory held open (openat) and looked up by name (a JVM without openat).
 */
class HostFileSystemTest {
    @TempDir
    Path top;
    Path root;

    @BeforeEach
    void tree() throws Exception {
        root = Files.createDirectories(top.resolve("guest"));
        Files.createDirectories(root.resolve("boot/kernel"));
        Files.writeString(root.resolve("boot/kernel/kernel"), "0123456789");
        Files.writeString(top.resolve("outside"), "host secret");
        Files.writeString(root.resolve("boot/with space é"), "x");
        Files.createSymbolicLink(root.resolve("boot/kernel.link"), Path.of("kernel"));
        Files.createSymbolicLink(root.resolve("boot/k2"), Path.of("kernel.link/kernel"));
        Files.createSymbolicLink(root.resolve("boot/up"), Path.of("../boot/kernel"));
        Files.createSymbolicLink(root.resolve("boot/escape"), Path.of("../../outside"));
        Files.createSymbolicLink(root.resolve("boot/absolute"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("boot/null"), Path.of("/dev/null"));
        Files.createSymbolicLink(root.resolve("boot/loop1"), Path.of("loop2"));
        Files.createSymbolicLink(root.resolve("boot/loop2"), Path.of("loop1"));
    }

    @ParameterizedTest(name = "held: {0}")
    @ValueSource(booleans = {true, false})
    void readsAtOffsetsAndShortAtTheEnd(boolean held) throws Exception {
        HostFileSystem fs = HostFileSystem.open(root, held);
        try (FileData f = fs.open("/boot/kernel/kernel")) {
            assertThat(f.size()).isEqualTo(10);
            byte[] b = new byte[8];
            assertThat(f.read(6, b, 0, 8)).isEqualTo(4);
            assertThat(new String(b, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("6789");
            assertThat(f.readFully(2, 3).get(0)).isEqualTo((byte) '2');
            assertThatThrownBy(() -> f.readFully(8, 3)).isInstanceOf(BootException.InvalidFormat.class)
                    .hasMessageContaining("/boot/kernel/kernel").hasMessageContaining("past the end");
        }
    }

    @ParameterizedTest(name = "held: {0}")
    @ValueSource(booleans = {true, false})
    void statReaddirAndPathsInside(boolean held) throws Exception {
        HostFileSystem fs = HostFileSystem.open(root, held);
        assertThat(fs.stat("/boot/kernel/kernel")).isEqualTo(new FileStat(FileStat.Kind.REGULAR, 10));
        assertThat(fs.stat("//boot/./kernel/../kernel/kernel").size()).isEqualTo(10);
        assertThat(fs.stat("/boot/k2").size()).isEqualTo(10);
        assertThat(fs.stat("/boot/up/kernel").size()).isEqualTo(10);
        assertThat(fs.stat("/boot/kernel.link").isDirectory()).isTrue();
        assertThat(fs.stat("/boot/with space é").size()).isEqualTo(1);
        List<DirEntry> entries = fs.readdir("/boot");
        // the host's readdir order, as bhyveload passes it on: ls -f lists in that order
        List<String> names = entries.stream().map(DirEntry::name).toList();
        assertThat(names).contains("absolute", "escape", "k2", "kernel");
        assertThat(Processes.run(List.of("ls", "-f", root.resolve("boot").toString()), null).lines()
                .filter(names::contains).toList()).isEqualTo(names);
        assertThat(entries).contains(new DirEntry("kernel.link", FileStat.Kind.SYMLINK));
        assertThatThrownBy(() -> fs.stat("/boot/missing")).isInstanceOf(BootException.NotFound.class)
                .hasMessageContaining("host0:/boot/missing");
    }

    @ParameterizedTest(name = "held: {0}")
    @ValueSource(booleans = {true, false})
    void dotDotAboveTheRootIsRefused(boolean held) throws Exception {
        HostFileSystem fs = HostFileSystem.open(root, held);
        assertThatThrownBy(() -> fs.open("/../outside")).isInstanceOf(BootException.AccessDenied.class)
                .hasMessageContaining("/../outside").hasMessageContaining("leaves the host directory");
        assertThatThrownBy(() -> fs.stat("/boot/../../outside")).isInstanceOf(BootException.AccessDenied.class);
    }

    @ParameterizedTest(name = "held: {0}")
    @ValueSource(booleans = {true, false})
    void linksLeavingTheDirectoryAreRefused(boolean held) throws Exception {
        HostFileSystem fs = HostFileSystem.open(root, held);
        assertThatThrownBy(() -> fs.open("/boot/escape")).isInstanceOf(BootException.AccessDenied.class)
                .hasMessageContaining("/boot/escape");
        assertThatThrownBy(() -> fs.open("/boot/absolute")).isInstanceOf(BootException.AccessDenied.class)
                .hasMessageContaining("/etc/passwd");
        assertThatThrownBy(() -> fs.open("/boot/null")).isInstanceOf(BootException.AccessDenied.class)
                .hasMessageContaining("/boot/null");
        assertThatThrownBy(() -> fs.stat("/boot/loop1")).isInstanceOf(BootException.InvalidFormat.class)
                .hasMessageContaining("too many levels of symbolic links");
    }

    /**
     * Links to directories, and {@code ..} after them, resolve as the host's own lookup does (coreutils'
     * realpath, which resolves links as met, as the kernel does) while that stays inside; a lookup that leaves,
     * even to come back (O_RESOLVE_BENEATH refuses that too), is refused. A hard link is the file itself: it
     * is read, as FreeBSD's bhyveload reads it.
     */
    @ParameterizedTest(name = "held: {0}")
    @ValueSource(booleans = {true, false})
    void directoryLinksResolveAsTheHostsLookupAndNeverLeave(boolean held) throws Exception {
        HostFileSystem fs = HostFileSystem.open(root, held);
        Require.tool("realpath");
        Files.createDirectories(root.resolve("sys/boot/kernel"));
        Files.writeString(root.resolve("sys/boot/kernel/kernel"), "sys kernel");
        Files.createSymbolicLink(root.resolve("bootlink"), Path.of("sys/boot"));
        Files.createSymbolicLink(root.resolve("outdir"), Path.of(".."));
        Files.createSymbolicLink(root.resolve("boot/through"), Path.of("../../guest/boot"));
        Files.createLink(root.resolve("boot/hard"), top.resolve("outside"));
        Path real = root.toRealPath();
        for (String inside : List.of("/bootlink/kernel/kernel", "/bootlink/../boot/kernel/kernel", "/boot/up/kernel")) {
            Path host = Path.of(Processes.run(List.of("realpath", "-e", root + inside), null).strip());
            assertThat(host).as(inside).startsWith(real);
            try (FileData f = fs.open(inside)) {
                assertThat(new String(f.readFully(0, (int) f.size()).array(), StandardCharsets.UTF_8)).as(inside)
                        .isEqualTo(Files.readString(host));
            }
        }
        assertThat(Path.of(Processes.run(List.of("realpath", "-e", root + "/outdir/outside"), null).strip())
                .startsWith(real)).isFalse();
        assertThatThrownBy(() -> fs.open("/outdir/outside")).isInstanceOf(BootException.AccessDenied.class)
                .hasMessageContaining("leaves the host directory");
        assertThatThrownBy(() -> fs.stat("/boot/through/kernel/kernel")).isInstanceOf(BootException.AccessDenied.class);
        try (FileData f = fs.open("/boot/hard")) {
            assertThat(f.size()).isEqualTo("host secret".length());
        }
    }

    /**
     * A directory held open is bhyveload's descriptor: the -h directory renamed and a link to its parent put
     * in its place after it was opened, the lookups still go to the directory opened, never to the link's.
     */
    @Test
    void theHeldDirectoryIsNotRedirected() throws Exception {
        Assumptions.assumeTrue(Files.newDirectoryStream(top) instanceof SecureDirectoryStream,
                "this JVM has no openat (SecureDirectoryStream)");
        HostFileSystem fs = HostFileSystem.open(root);
        HostFileSystem byName = HostFileSystem.open(root, false);
        Files.move(root, top.resolve("guest.old"));
        Files.createSymbolicLink(root, top);
        // the test of the test: looked up by name, the same swap leads outside
        try (FileData f = byName.open("/outside")) {
            assertThat(new String(f.readFully(0, 11).array(), StandardCharsets.US_ASCII)).isEqualTo("host secret");
        }
        assertThatThrownBy(() -> fs.open("/outside")).isInstanceOf(BootException.NotFound.class);
        assertThatThrownBy(() -> fs.stat("/guest.old/boot/kernel/kernel")).isInstanceOf(BootException.NotFound.class);
        try (FileData f = fs.open("/boot/kernel/kernel")) {
            assertThat(new String(f.readFully(0, 10).array(), StandardCharsets.US_ASCII)).isEqualTo("0123456789");
        }
        assertThat(fs.readdir("/").stream().map(DirEntry::name)).contains("boot").doesNotContain("outside");
        fs.close();
    }

    @ParameterizedTest(name = "held: {0}")
    @ValueSource(booleans = {true, false})
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void fifoIsNeverOpened(boolean held) throws Exception {
        HostFileSystem fs = HostFileSystem.open(root, held);
        Require.tool("mkfifo");
        Processes.run(List.of("mkfifo", root.resolve("boot/fifo").toString()), null);
        assertThat(fs.stat("/boot/fifo").kind()).isEqualTo(FileStat.Kind.OTHER);
        assertThatThrownBy(() -> fs.open("/boot/fifo")).isInstanceOf(BootException.AccessDenied.class)
                .hasMessageContaining("not a regular file");
        // a directory is not refused for safety: it is the mistake every file system reports alike
        assertThatThrownBy(() -> fs.open("/boot")).isInstanceOf(BootException.InvalidFormat.class);
    }
}
