package userboot4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import userboot4j.BootException;
import userboot4j.fs.FileData;

/**
 * What the benchmarks read, made once under target/jmh/data from ../shared (or $USERBOOT4J_SHARED):
 * FreeBSD 13.2's GENERIC boot tree with a loader.conf, a UFS2 image of it, and the bootable ZFS pool
 * fbzmodern.
 */
public final class BenchData {
    /** The loader.conf of the tree: the GENERIC fixture's module chain, linux64 → linux_common → netlink. */
    public static final String LOADER_CONF = "linux64_load=\"YES\"\n";
    private static final Path DIR = Path.of("target", "jmh", "data");

    private BenchData() {
    }

    /** The unpacked GENERIC tree (a directory holding boot/), with {@link #LOADER_CONF} as boot/loader.conf. */
    public static synchronized Path genericTree() throws IOException, InterruptedException {
        Path tree = DIR.resolve("generic");
        if (!Files.exists(tree.resolve("boot/loader.conf"))) {
            Files.createDirectories(tree);
            run(tree, "tar", "-xJf", shared("fixtures/freebsd/freebsd-13.2-GENERIC-boot.tar.xz").toString());
            Files.writeString(tree.resolve("boot/loader.conf"), LOADER_CONF);
        }
        return tree;
    }

    /** A UFS2 image of {@link #genericTree()} made by Debian's makefs (32 KiB blocks, its default). */
    public static synchronized Path ufs2Image() throws IOException, InterruptedException {
        Path img = DIR.resolve("generic-ufs2.img");
        if (!Files.exists(img)) {
            Path part = DIR.resolve("generic-ufs2.img.part");
            run(DIR, "makefs", "-t", "ffs", "-o", "version=2", part.getFileName().toString(),
                    genericTree().toAbsolutePath().toString());
            Files.move(part, img, StandardCopyOption.REPLACE_EXISTING);
        }
        return img;
    }

    /**
     * The three disks of fbzmodern (OpenZFS 2.1 raidz1; ROOT/default lz4, ROOT/alt zstd), taken from
     * target/zfs-fixtures where the tests unpacked them, else unpacked here.
     */
    public static synchronized List<Path> fbzmodern() throws IOException, InterruptedException {
        Path[] disks = new Path[3];
        for (int i = 0; i < 3; i++) {
            String name = "fbzmodern-d" + i + ".img";
            Path tests = Path.of("target", "zfs-fixtures", "bootable", name);
            disks[i] = Files.exists(tests) ? tests : DIR.resolve(name);
            if (!Files.exists(disks[i])) {
                Path xz = shared("fixtures/zfs/bootable/" + name + ".xz");
                Path part = DIR.resolve(name + ".part");
                Files.createDirectories(DIR);
                run(DIR, "sh", "-c", "xz -dc \"$0\" > \"$1\"", xz.toString(),
                        part.getFileName().toString());
                Files.move(part, disks[i]);
            }
        }
        return List.of(disks);
    }

    private static Path shared(String file) {
        String shared = System.getenv("USERBOOT4J_SHARED");
        Path p = Path.of(shared != null ? shared : "../shared").resolve(file).toAbsolutePath();
        if (!Files.exists(p)) {
            throw new IllegalStateException(p + " is missing: the benchmarks read it");
        }
        return p;
    }

    /** The sha256 of a file on the host, in hex. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = digest();
            byte[] b = new byte[1 << 20];
            for (int n; (n = in.read(b)) > 0; ) {
                md.update(b, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        }
    }

    /** The sha256 of a file read through one of our file systems, in hex. */
    public static String sha256(FileData f) throws BootException {
        MessageDigest md = digest();
        byte[] b = new byte[1 << 20];
        for (long pos = 0; pos < f.size(); ) {
            int n = f.read(pos, b, 0, b.length);
            md.update(b, 0, n);
            pos += n;
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code cmd} in {@code dir}, failing unless it ends with status 0 within 5 minutes. */
    public static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }
}
