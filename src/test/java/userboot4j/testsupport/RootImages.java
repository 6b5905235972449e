package userboot4j.testsupport;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Root file systems that a FreeBSD kernel mounts and runs fixtures/init's /sbin/init from, made under
 * target/ at test time: a bare UFS1 root ({@link #ufs1Root}), a GPT disk holding /boot and the root
 * together ({@link #gptUfs2Disk}), and {@code -h} directories ({@link #hostDir}). The kernel needs only
 * /sbin/init and a /dev to mount devfs on; /etc/fstab is for the loader, which turns its "/" line into
 * vfs.root.mountfrom. A loader given any disk reads /boot from disk0 (userboot's currdev, even with
 * {@code -h}), so a bare root is either a disk the VM has but the loader is not given, beside a
 * {@code -h} directory, or the second disk after a {@link #gptUfs2Disk} whose fstab names it (/dev/vtbd1).
 */
public final class RootImages {
    /** The freebsd-ufs partition's index in {@link #gptUfs2Disk}'s table: /dev/vtbdNp2 to the kernel. */
    public static final int GPT_UFS_INDEX = 2;
    /** Its GPT label: /dev/gpt/rootfs to the kernel, whichever disk it is. */
    public static final String GPT_UFS_LABEL = "rootfs";

    private static final long MIB = 1 << 20;
    /** makefs's UFS2 block size: each file is counted whole blocks. */
    private static final long UFS2_BLOCK = 32 * 1024;

    private static Path init;

    private RootImages() {
    }

    /** The init fixtures/init/build.sh makes (target/init/init), built on first use. */
    public static synchronized Path init() throws Exception {
        if (init == null) {
            Require.tool("gcc");
            Require.tool("ld");
            Path dir = Trees.target().resolve("init");
            Files.createDirectories(dir);
            // JVMs that run at once build it one after another
            try (FileChannel lock = FileChannel.open(dir.resolve("build.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock held = lock.lock()) {
                Processes.run(List.of("bash", Paths.get("fixtures/init/build.sh").toAbsolutePath().toString(),
                        dir.resolve("init").toString()), null);
            }
            init = dir.resolve("init");
        }
        return init;
    }

    /**
     * Fills {@code dir} with a root's own files: /sbin/init (mode 0755), an empty /dev, /etc, and, unless
     * {@code rootDev} is null, /etc/fstab mounting {@code rootDev} as the UFS root.
     */
    public static Path rootTree(Path dir, String rootDev) throws Exception {
        Files.createDirectories(dir.resolve("sbin"));
        Files.createDirectories(dir.resolve("dev"));
        Files.createDirectories(dir.resolve("etc"));
        Path sbinInit = dir.resolve("sbin/init");
        Files.copy(init(), sbinInit, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(sbinInit, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (rootDev != null) {
            fstab(dir, rootDev);
        }
        return dir;
    }

    /**
     * A fresh copy of {@code tree} (a directory holding boot/, as {@link Trees#generic()}) under
     * target/trees/{@code name}, with boot/loader.conf made of the {@code loaderConf} lines when there are
     * any (for instance {@code nullfs_load="YES"} or {@code test.kenv="value"}).
     */
    public static Path bootTree(Path tree, String name, String... loaderConf) throws Exception {
        Path copy = Trees.copy(tree, name);
        if (loaderConf.length > 0) {
            Files.writeString(copy.resolve("boot/loader.conf"), String.join("\n", loaderConf) + "\n");
        }
        return copy;
    }

    /**
     * The {@code -h} directory for a root on a disk the loader is not given: {@link #bootTree} with
     * etc/fstab mounting {@code rootDev} (e.g. /dev/vtbd0 for {@link #ufs1Root} as the VM's first disk) as
     * the UFS root.
     */
    public static Path hostDir(Path tree, String rootDev, String name, String... loaderConf) throws Exception {
        Path dir = bootTree(tree, name, loaderConf);
        fstab(dir, rootDev);
        return dir;
    }

    /**
     * A bare UFS1 file system (no partition table) by Debian's makefs, holding only {@link #rootTree}'s
     * files without an fstab: a root whose /boot and fstab come from elsewhere (see the class comment).
     */
    public static Path ufs1Root(Path out) throws Exception {
        Path staging = staging(out);
        try {
            // makefs's own sizing leaves a tree this small no room to allocate in
            return Images.ufs(rootTree(staging, null), 1, out, "-s", "4m");
        } finally {
            Trees.delete(staging);
        }
    }

    /**
     * A GPT disk as FreeBSD's tools make one: mkimg's table with an empty freebsd-boot partition (index 1,
     * 512 KiB) and a freebsd-ufs partition (index {@link #GPT_UFS_INDEX}, label {@link #GPT_UFS_LABEL})
     * holding a UFS2 file system by FreeBSD's makefs (superblock at 64 KiB, where FreeBSD's kernel looks):
     * {@code bootTree}'s files (its boot/) merged with {@link #rootTree}'s, /etc/fstab mounting
     * {@code rootDev} — /dev/vtbd0p2 as the first disk, /dev/vtbd1p2 as the second, or /dev/gpt/rootfs.
     */
    public static Path gptUfs2Disk(Path bootTree, String rootDev, Path out) throws Exception {
        Path bin = Require.sharedFixture("tools/freebsd-hosttools/bin");
        Path staging = staging(out);
        Path ufs = out.resolveSibling(out.getFileName() + ".ufs2");
        try {
            rootTree(staging, rootDev);
            Files.deleteIfExists(ufs);
            // makefs merges the extra directory into the image's root
            Processes.run(List.of(bin.resolve("makefs").toString(), "-t", "ffs", "-o", "version=2", "-s",
                    sizeMiB(staging, bootTree) + "m", ufs.toString(), staging.toString(), bootTree.toString()), null);
            Files.deleteIfExists(out);
            Processes.run(List.of(bin.resolve("mkimg").toString(), "-s", "gpt", "-p", "freebsd-boot::512k", "-p",
                    "freebsd-ufs/" + GPT_UFS_LABEL + ":=" + ufs, "-o", out.toString()), null);
        } finally {
            Files.deleteIfExists(ufs);
            Trees.delete(staging);
        }
        return out;
    }

    private static void fstab(Path dir, String rootDev) throws Exception {
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/fstab"), rootDev + "\t/\tufs\trw\t1\t1\n");
    }

    private static Path staging(Path out) throws Exception {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path dir = out.resolveSibling(out.getFileName() + ".root");
        Trees.delete(dir);
        return dir;
    }

    /** Room for the trees' files in whole blocks, a quarter more and 8 MiB for metadata, in MiB. */
    private static long sizeMiB(Path... trees) throws Exception {
        long bytes = 0;
        for (Path tree : trees) {
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.walk(tree)) {
                s.filter(Files::isRegularFile).forEach(files::add);
            }
            for (Path f : files) {
                bytes += (Files.size(f) + UFS2_BLOCK - 1) / UFS2_BLOCK * UFS2_BLOCK;
            }
        }
        return (bytes + bytes / 4 + 8 * MIB + MIB - 1) / MIB;
    }
}
