package userboot4j.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import userboot4j.cli.Main;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;

/** Partition tables written by sgdisk and sfdisk, read back as those tools print them. */
class PartitionTableTest {
    static Path blank(String name, long mib) throws Exception {
        Path dir = Trees.target().resolve("ptables");
        Files.createDirectories(dir);
        Path p = dir.resolve(name);
        Files.deleteIfExists(p);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[1]), (mib << 20) - 1);
        }
        return p;
    }

    static List<Partition> read(Path img, List<String> warnings) throws Exception {
        try (DiskImage d = DiskImage.open(img, 0)) {
            return PartitionTable.probe(d, warnings).partitions();
        }
    }

    /** sgdisk -p's table: number, first and last sector. */
    static List<long[]> sgdisk(Path img) throws Exception {
        List<long[]> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s").matcher(
                Processes.run(List.of("sgdisk", "-p", img.toString()), null));
        while (m.find()) {
            out.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
        }
        return out;
    }

    @Test
    void gptAsSgdiskWroteItAndItsBackupWhenThePrimaryIsDamaged() throws Exception {
        Require.tool("sgdisk");
        Path img = blank("gpt.img", 16);
        Processes.run(List.of("sgdisk", "-n", "1:2048:+1M", "-t", "1:ef00", "-n", "2:0:+4M", "-t", "2:a503",
                "-n", "3:0:+2M", "-t", "3:a502", "-n", "5:0:0", "-t", "5:a504", img.toString()), null);
        List<long[]> expected = sgdisk(img);
        assertThat(expected).hasSize(4);
        List<String> warnings = new ArrayList<>();
        List<Partition> ours = read(img, warnings);
        assertThat(warnings).isEmpty();
        assertThat(ours).extracting(Partition::type).containsExactly(PartType.EFI, PartType.FREEBSD_UFS,
                PartType.FREEBSD_SWAP, PartType.FREEBSD_ZFS);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(ours.get(i).index()).isEqualTo(expected.get(i)[0]);
            assertThat(ours.get(i).start()).isEqualTo(expected.get(i)[1] * 512);
            assertThat(ours.get(i).length()).isEqualTo((expected.get(i)[2] - expected.get(i)[1] + 1) * 512);
        }
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("BROKEN!!".getBytes(StandardCharsets.US_ASCII)), 512);
        }
        warnings.clear();
        assertThat(read(img, warnings)).isEqualTo(ours);
        assertThat(warnings).singleElement().asString().contains("primary GPT is damaged");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Main.run(new String[] {"lsdev", "-d", img.toString()}, new PrintStream(out, true),
                new PrintStream(err, true))).isZero();
        assertThat(out.toString()).contains("disk0p2: FreeBSD UFS", "disk0p5: FreeBSD ZFS");
        assertThat(err.toString()).contains("warning: disk0: the primary GPT is damaged");
    }

    /** The words part.c's mbr_parttype and parttype2str give sfdisk's type codes. */
    private static final java.util.Map<String, String> MBR_TYPES = java.util.Map.of("a5", "FreeBSD", "83", "Linux",
            "c", "DOS/Windows", "5", "Unknown");

    @Test
    void mbrWithLogicalPartitionsAsSfdiskWroteIt() throws Exception {
        Require.tool("sfdisk");
        Path img = blank("mbr.img", 16);
        Process p = new ProcessBuilder("sfdisk", "--no-reread", "-q", img.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(("label: dos\nstart=2048, size=4096, type=a5, bootable\nstart=8192, type=5\n"
                + "start=10240, size=2048, type=83\nstart=14336, size=4096, type=c\n").getBytes());
        p.getOutputStream().close();
        String msg = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(msg).isZero();
        // sfdisk's own dump is the independent listing: each line "img5 : start= 10240, size= 2048, type=83".
        List<String> dump = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\S+?(\\d+) : start=\\s*(\\d+), size=\\s*(\\d+), type=(\\w+)").matcher(
                Processes.run(List.of("sfdisk", "-d", img.toString()), null));
        while (m.find()) {
            dump.add(m.group(1) + " " + Long.parseLong(m.group(2)) * 512 + " " + Long.parseLong(m.group(3)) * 512
                    + " " + MBR_TYPES.get(m.group(4)));
        }
        List<String> ours = read(img, new ArrayList<>()).stream()
                .map(x -> x.index() + " " + x.start() + " " + x.length() + " " + x.type().words()).toList();
        assertThat(ours).isEqualTo(dump).hasSize(4);
        try (Disks disks = Disks.open(List.of(img))) {
            assertThat(disks.currdev().toString()).isEqualTo("disk0s1");
            assertThat(disks.open(new DeviceName(0, -1, 6, -1)).size()).isEqualTo(4096 * 512);
        }
    }
}
