package userboot4j.cli;

import static userboot4j.cli.GuestInitTest.assertReachedInit;
import static userboot4j.cli.GuestInitTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import userboot4j.testsupport.RootImages;
import userboot4j.testsupport.Trees;
import userboot4j.testsupport.ZfsFixtures;

/**
 * GuestInitTest's boot with the root on ZFS: pools zfs-fuse makes now (version 23, leaves of type disk on
 * loop devices) whose boot environment ROOT/default holds GENERIC's /boot with zfs.ko, loader.conf loading
 * it, and the root's own files without an fstab, so that the loader passes the boot dataset as
 * vfs.root.mountfrom and the kernel imports the pool and mounts it.
 */
class GuestZfsInitTest {
    private static final List<String> WITH_ZFS = java.util.stream.Stream.concat(GuestInitTest.MODULES.stream(),
            java.util.stream.Stream.of("zfs.ko")).toList();

    @BeforeAll
    static void setUp() throws Exception {
        GuestInitTest.setUp();
    }

    /**
     * The boot environment's tree. GENERIC's linker.hints (FreeBSD's kldxref, run without zfs.ko) does not
     * name zfs, so the loader finds the module by file name, zfs.ko, as FreeBSD's falls back to when the
     * hints do not name a module.
     */
    private static Path tree(String name) throws Exception {
        String[] loaderConf = Stream.concat(Stream.of(GuestInitTest.LOADER_CONF), Stream.of("zfs_load=\"YES\""))
                .toArray(String[]::new);
        Path tree = RootImages.bootTree(Trees.generic(), name, loaderConf);
        Files.copy(Trees.genericZfs().resolve("boot/kernel/zfs.ko"), tree.resolve("boot/kernel/zfs.ko"));
        return RootImages.rootTree(tree, null);
    }

    private static String[] devices(List<Path> disks) {
        return ZfsBootTest.devices(disks).toArray(String[]::new);
    }

    /** One disk, bootfs ROOT/default. */
    @Test
    void oneDiskPoolWithBootfs() throws Exception {
        List<Path> disks = ZfsFixtures.fusePool("ubzinit", "", 1, "default", Map.of("default",
                tree("zfs-init-one").toString()));
        assertReachedInit(run("zfs-one", devices(disks)), "zfs:ubzinit/ROOT/default", WITH_ZFS);
    }

    /**
     * A raidz1 of three disks, each a -d disk to the loader and a virtio disk to the kernel. zfs-fuse, as
     * Solaris's ZFS of pool version 23, refuses bootfs on raidz ("operation not supported on this type of
     * pool"), so ROOT/default is chosen by a one-time boot device in the labels instead, as
     * {@code bectl activate -t} leaves it.
     */
    @Test
    void raidz1OfThreeDisksWithBootonce() throws Exception {
        List<Path> disks = ZfsFixtures.fusePool("ubzinitrz", "raidz1", 3, "", Map.of("default",
                tree("zfs-init-raidz").toString()));
        ZfsFixtures.setBootonce("zfs:ubzinitrz/ROOT/default:", false, disks);
        assertReachedInit(run("zfs-raidz", devices(disks)), "zfs:ubzinitrz/ROOT/default", WITH_ZFS);
    }
}
