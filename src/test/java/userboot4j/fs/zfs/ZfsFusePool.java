package userboot4j.fs.zfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;

/**
 * A pool made at test time by zfs-fuse (Debian's zfs-fuse, pool version 23), as
 * ../shared/fixtures/scripts/zfs-fuse-pools.sh makes the shipped ones: sparse files in a temporary
 * directory, the file system mounted there for the test to fill. The zfs-fuse daemon is started when none
 * runs, and then stopped again on close; closing also destroys the pool if it is still imported and deletes
 * the files.
 */
final class ZfsFusePool implements AutoCloseable {
    private static final AtomicInteger SERIAL = new AtomicInteger();

    private final String name;
    private final Path dir;
    private final List<Path> disks;
    private final Long daemon;
    private boolean imported = true;

    private ZfsFusePool(String name, Path dir, List<Path> disks, Long daemon) {
        this.name = name;
        this.dir = dir;
        this.disks = disks;
        this.daemon = daemon;
    }

    /**
     * A new pool of {@code count} disks of {@code size} bytes, {@code vdev} their layout (e.g. "raidz3",
     * or "" for a plain stripe), with the file-system properties {@code props} ("compression=off", …).
     */
    static ZfsFusePool create(String vdev, int count, long size, String... props) throws Exception {
        for (String tool : List.of("zfs-fuse", "zpool", "zfs", "zdb")) {
            Require.tool(tool);
        }
        Require.condition(Files.isWritable(Paths.get("/dev/fuse")), "a writable /dev/fuse (for zfs-fuse)");
        Long daemon = null;
        if (Processes.exec(List.of("pgrep", "-x", "zfs-fuse"), null).status() != 0) {
            // the daemon runs on after the command returns: no pipes to it, or reading them would wait for it
            Process p = new ProcessBuilder("zfs-fuse").redirectInput(ProcessBuilder.Redirect.from(
                    new java.io.File("/dev/null"))).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("zfs-fuse did not start");
            }
            daemon = waitForDaemon();
        }
        Path dir = Files.createTempDirectory("userboot4j-zfs-");
        String name = "ub4j" + ProcessHandle.current().pid() + "x" + SERIAL.incrementAndGet();
        List<String> cmd = new ArrayList<>(List.of("zpool", "create", "-f", "-m", dir.resolve("mnt").toString()));
        for (String p : props) {
            cmd.add("-O");
            cmd.add(p);
        }
        cmd.add(name);
        if (!vdev.isEmpty()) {
            cmd.add(vdev);
        }
        List<Path> disks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path d = dir.resolve("d" + i);
            try (var f = new java.io.RandomAccessFile(d.toFile(), "rw")) {
                f.setLength(size);
            }
            disks.add(d);
            cmd.add(d.toString());
        }
        Processes.run(cmd, null);
        return new ZfsFusePool(name, dir, disks, daemon);
    }

    /** The pid of the daemon just started, once it answers. */
    private static long waitForDaemon() throws Exception {
        for (int i = 0; i < 100; i++) {
            Processes.Result pid = Processes.exec(List.of("pgrep", "-x", "zfs-fuse"), null);
            if (pid.status() == 0 && Processes.exec(List.of("zpool", "list"), null).status() == 0) {
                return Long.parseLong(pid.out().trim());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("zfs-fuse did not start");
    }

    String name() {
        return name;
    }

    /** Where the pool's root file system is mounted. */
    Path mountpoint() {
        return dir.resolve("mnt");
    }

    List<Path> disks() {
        return disks;
    }

    /** Runs {@code zfs args…}. */
    String zfs(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("zfs"));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, null);
    }

    /** Flushes every file system and exports the pool, so that its disks can be read. */
    void export() throws Exception {
        Processes.run(List.of("sync"), null);
        Processes.run(List.of("zpool", "export", name), null);
        imported = false;
    }

    /** zdb's output for the exported pool, {@code args} before the pool name. */
    String zdb(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("zdb", "-e", "-p", dir.toString()));
        cmd.addAll(List.of(args));
        cmd.add(name);
        return Processes.exec(cmd, null).out();
    }

    @Override
    public void close() throws Exception {
        try {
            if (imported) {
                Processes.exec(List.of("zpool", "destroy", "-f", name), null);
            }
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // a mount point still busy is left for the system's temporary-file cleanup
            }
        } finally {
            if (daemon != null) {
                ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroy);
            }
        }
    }
}
