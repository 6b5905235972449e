package userboot4j.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import userboot4j.cli.Main;
import userboot4j.testsupport.Images;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;

/**
 * Booting from disk images made by Debian's makefs with sgdisk or sfdisk tables: the probe kernel, run
 * under QEMU (the engine `run` picks here) from a GPT+UFS2 and an MBR+BSD label+UFS1 image, reports the currdev userboot would choose
 * and the root its /etc/fstab names; the images are unchanged afterwards.
 */
class DiskBootTest {
    static Path probeTreeWithFstab(String name) throws Exception {
        Path t = Trees.copy(Trees.probe(), name);
        Trees.delete(t.resolve("i386"));
        Files.createDirectories(t.resolve("etc"));
        Files.writeString(t.resolve("etc/fstab"), "/dev/ada0p2\t/\tufs\trw\t1\t1\n");
        return t;
    }

    static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    private void bootUnderQemu(Path image, String currdev) throws Exception {
        Require.qemu();
        String before = sha256(image);
        Path console = Trees.target().resolve("disk-boot-console.txt");
        run("run", "-d", image.toString(), "-m", "256M", "--timeout", "30", "--console", console.toString());
        String report = Files.readString(console);
        assertThat(report).contains("ENV currdev=" + currdev + ":", "ENV loaddev=" + currdev + ":",
                "ENV vfs.root.mountfrom=ufs:/dev/ada0p2", "ENV vfs.root.mountfrom.options=rw",
                "MI type=0x1 size=24 str=/boot/kernel/probe_a.ko", "PROBE END");
        assertThat(sha256(image)).as("the image is never written").isEqualTo(before);
    }

    @Test
    void probeBootsFromGptUfs2() throws Exception {
        Path dir = Trees.target().resolve("disk-images");
        Files.createDirectories(dir);
        Path ufs = Images.ufs(probeTreeWithFstab("disk-gpt"), 2, dir.resolve("probe-ufs2.fs"), "-s", "16m");
        bootUnderQemu(Images.gpt(ufs, dir.resolve("probe-gpt-ufs2.img")), "disk0p2");
    }

    @Test
    void probeBootsFromMbrBsdLabelUfs1() throws Exception {
        Path dir = Trees.target().resolve("disk-images");
        Files.createDirectories(dir);
        Path ufs = Images.ufs(probeTreeWithFstab("disk-mbr"), 1, dir.resolve("probe-ufs1.fs"), "-s", "16m");
        bootUnderQemu(Images.mbrBsd(ufs, dir.resolve("probe-mbr-bsd-ufs1.img")), "disk0s1a");
    }

    @Test
    void probeBootsFromAnIsoWithAGzippedKernel() throws Exception {
        Path tree = probeTreeWithFstab("disk-iso");
        userboot4j.testsupport.Processes.run(List.of("gzip", "-9", tree.resolve("boot/kernel/kernel").toString()), null);
        Path dir = Trees.target().resolve("disk-images");
        Files.createDirectories(dir);
        bootUnderQemu(Images.iso(tree, dir.resolve("probe.iso")), "disk0s0");
    }

    @Test
    void inspectOfADiskMatchesInspectOfItsTree() throws Exception {
        Path tree = probeTreeWithFstab("disk-vs-host");
        Path dir = Trees.target().resolve("disk-images");
        Files.createDirectories(dir);
        Path img = Images.gpt(Images.ufs(tree, 2, dir.resolve("cmp-ufs2.fs"), "-s", "16m"), dir.resolve("cmp-gpt.img"));
        String fromDisk = run("inspect", "-d", img.toString(), "--json");
        String fromHost = run("inspect", "-h", tree.toString(), "--json");
        List<String> diskLines = new ArrayList<>(fromDisk.lines().filter(l -> !l.contains("dev=")).toList());
        assertThat(fromDisk).contains("\"currdev=disk0p2:\"", "\"vfs.root.mountfrom=ufs:/dev/ada0p2\"");
        assertThat(fromHost).contains("\"currdev=host0:\"");
        assertThat(diskLines.size()).isEqualTo(fromHost.lines().filter(l -> !l.contains("dev=")).count());
    }
}
