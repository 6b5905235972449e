package userboot4j.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Guest trees for tests, made once per test run under target/: the probe tree built from
 * fixtures/probe/ with gcc and ld, and FreeBSD 13.2's and 15.1's GENERIC trees unpacked from ../shared.
 */
public final class Trees {
    private static Path probe;
    private static Path generic;
    private static Path generic15;
    private static Path genericZfs;

    private Trees() {
    }

    public static Path target() {
        return Paths.get("target").toAbsolutePath();
    }

    /** The probe kernel and modules (fixtures/probe/build.sh), built on first use. */
    public static synchronized Path probe() throws Exception {
        if (probe == null) {
            Require.tool("gcc");
            Require.tool("ld");
            Require.tool("python3");
            Path out = target().resolve("probe-tree");
            Files.createDirectories(target());
            // JVMs that run at once (a fuzzing campaign's lanes) build it one after another
            try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(target().resolve(
                    "probe-tree.lock"), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                    java.nio.channels.FileLock held = lock.lock()) {
                Processes.run(List.of("bash", Paths.get("fixtures/probe/build.sh").toAbsolutePath().toString(),
                        out.toString()), null);
            }
            probe = out;
        }
        return probe;
    }

    /** FreeBSD 13.2 GENERIC's /boot (kernel, modules, linker.hints, defaults, lua), unpacked on first use. */
    public static synchronized Path generic() throws Exception {
        if (generic == null) {
            generic = unpack("freebsd-13.2-GENERIC-boot.tar.xz", "generic-tree", "boot/kernel/kernel");
        }
        return generic;
    }

    /** FreeBSD 15.1 GENERIC's /boot, laid out as {@link #generic()}'s, unpacked on first use. */
    public static synchronized Path generic15() throws Exception {
        if (generic15 == null) {
            generic15 = unpack("freebsd-15.1-GENERIC-boot.tar.xz", "generic15-tree", "boot/kernel/kernel");
        }
        return generic15;
    }

    /** FreeBSD 13.2's OpenZFS module for {@link #generic()}'s kernel (only boot/kernel/zfs.ko), unpacked once. */
    public static synchronized Path genericZfs() throws Exception {
        if (genericZfs == null) {
            genericZfs = unpack("freebsd-13.2-GENERIC-zfs.tar.xz", "generic-zfs", "boot/kernel/zfs.ko");
        }
        return genericZfs;
    }

    /** {@code tarball} under target/{@code name}, unless its file {@code marker} is there already. */
    private static Path unpack(String tarball, String name, String marker) throws Exception {
        Path src = Require.sharedFixture("fixtures/freebsd/" + tarball);
        Require.tool("tar");
        Require.tool("xz");
        Path out = target().resolve(name);
        if (!Files.isRegularFile(out.resolve(marker))) {
            Files.createDirectories(out);
            Processes.run(List.of("tar", "-xJf", src.toString(), "-C", out.toString()), null);
        }
        return out;
    }

    /** A fresh copy of {@code tree} under target/, for a test that adds files (loader.conf, lua scripts). */
    public static Path copy(Path tree, String name) throws IOException {
        Path dst = target().resolve("trees").resolve(name);
        delete(dst);
        try (Stream<Path> s = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path q = dst.resolve(tree.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return dst;
    }

    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
