package userboot4j.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import userboot4j.cli.Main;
import userboot4j.testsupport.Images;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;

/**
 * A block device with 4096-byte logical sectors (a loop device made with {@code losetup -b 4096}), its GPT
 * written by sgdisk on the device: read through the device node and through the image file behind it,
 * with the partitions where sgdisk put them and the same files in its UFS.
 */
class LoopDeviceTest {
    static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(Main.run(args, new PrintStream(out, true), new PrintStream(err, true))).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void fourKilobyteSectorDevice() throws Exception {
        Require.tool("losetup");
        Require.tool("sgdisk");
        Path dir = Trees.target().resolve("loop");
        Trees.delete(dir);
        Files.createDirectories(dir.resolve("tree/boot"));
        Files.writeString(dir.resolve("tree/boot/loader.conf"), "on_a_4k_disk=\"yes\"\n");
        Path ufs = Images.ufs(dir.resolve("tree"), 2, dir.resolve("ufs.fs"), "-s", "8m");
        Path img = dir.resolve("disk.img");
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[1]), (32 << 20) - 1);
        }
        Processes.Result lo = Processes.exec(List.of("losetup", "-b", "4096", "-f", "--show", img.toString()), null);
        Require.condition(lo.status() == 0, "a loop device (losetup: " + lo.err().trim() + ")");
        String dev = lo.out().trim();
        try {
            Processes.run(List.of("sgdisk", "-n", "1:256:+1M", "-t", "1:a501", "-n", "2:512:+12M", "-t", "2:a503", dev),
                    null);
            String table = Processes.run(List.of("sgdisk", "-p", dev), null);
            assertThat(table).contains("Sector size (logical/physical): 4096/4096 bytes").containsPattern("2\\s+512\\s+3583\\s");
            try (FileChannel in = FileChannel.open(ufs); FileChannel out = FileChannel.open(Path.of(dev),
                    StandardOpenOption.WRITE)) {
                in.transferTo(0, in.size(), out.position(512L * 4096));
            }
            Processes.run(List.of("sync"), null);
            for (String d : List.of(dev, img.toString())) {
                assertThat(cli("lsdev", "-v", "-d", d)).contains("disk0:   Guest drive image",
                        "disk0p2: FreeBSD UFS\t  12MB");
                assertThat(cli("cat", "-d", d, "/boot/loader.conf")).isEqualTo("on_a_4k_disk=\"yes\"\n");
            }
        } finally {
            Processes.run(List.of("losetup", "-d", dev), null);
        }
    }
}
