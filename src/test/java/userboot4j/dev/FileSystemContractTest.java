package userboot4j.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import userboot4j.BootException;
import userboot4j.testsupport.Images;
import userboot4j.testsupport.Trees;
import userboot4j.testsupport.ZfsFixtures;

/**
 * One contract for every file system the loader reads, each holding the same tree and read through the
 * device layer as the loader reads it (currdev, gzip/bzip2 decorators): UFS1 and UFS2 made by makefs, ISO
 * 9660 by xorriso, a ZFS pool by zfs-fuse, the host directory. The same mistake gives the same error kind
 * on every one.
 */
class FileSystemContractTest {
    private static Path tree;

    @BeforeAll
    static void tree() throws Exception {
        tree = Trees.target().resolve("contract-tree");
        Trees.delete(tree);
        Files.createDirectories(tree.resolve("boot/kernel"));
        Files.writeString(tree.resolve("boot/loader.conf"), "x=\"1\"\n");
        Files.createSymbolicLink(tree.resolve("boot/loop1"), Path.of("loop2"));
        Files.createSymbolicLink(tree.resolve("boot/loop2"), Path.of("loop1"));
    }

    /** The devices of a file system holding the tree, by name. */
    private static Devices devices(String fs) throws Exception {
        Path dir = Trees.target().resolve("contract");
        Files.createDirectories(dir);
        return switch (fs) {
            case "ufs1", "ufs2" -> Devices.open(List.of(Images.ufs(tree, fs.charAt(3) - '0',
                    dir.resolve(fs + ".img"), "-s", "4m")), null);
            case "cd9660" -> Devices.open(List.of(Images.iso(tree, dir.resolve("tree.iso"))), null);
            case "zfs" -> Devices.open(ZfsFixtures.fusePool("contract", "", 1, "default",
                    Map.of("default", tree.toString())), null);
            case "host" -> Devices.open(List.of(), tree);
            default -> throw new IllegalArgumentException(fs);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"ufs1", "ufs2", "cd9660", "zfs", "host"})
    void theSameMistakeGivesTheSameErrorKind(String fs) throws Exception {
        try (Devices d = devices(fs)) {
            Devopen files = new Devopen(d, currdev(d));
            assertThat(files.stat("/boot/loader.conf").size()).isEqualTo(6);
            assertThat(files.readdir("/boot")).extracting(e -> e.name()).contains("kernel", "loader.conf");
            assertThatThrownBy(() -> files.open("/boot/kernel")).as("a directory opened as a file")
                    .isInstanceOf(BootException.InvalidFormat.class);
            assertThatThrownBy(() -> files.open("/boot/nope")).as("a missing name")
                    .isInstanceOf(BootException.NotFound.class);
            assertThatThrownBy(() -> files.stat("/boot/nope")).isInstanceOf(BootException.NotFound.class);
            assertThatThrownBy(() -> files.open("/boot/loop1")).as("a symbolic link loop")
                    .isInstanceOf(BootException.InvalidFormat.class);
            assertThatThrownBy(() -> files.stat("/boot/" + "n".repeat(256))).as("a name too long")
                    .isInstanceOf(BootException.NotFound.class);
            assertThatThrownBy(() -> files.readdir("/boot/loader.conf/x")).as("a path through a regular file")
                    .isInstanceOf(BootException.NotFound.class);
            assertThatThrownBy(() -> files.readdir("/boot/loader.conf")).as("a regular file listed")
                    .isInstanceOf(BootException.NotFound.class);
        }
    }

    private static java.util.function.Supplier<String> currdev(Devices d) throws BootException {
        String c = d.currdev();
        return () -> c;
    }
}
