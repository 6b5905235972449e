package userboot4j.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import userboot4j.cli.Main;

/**
 * The init and the root images, seen by independent tools: readelf for the brand FreeBSD's image
 * activator needs, sgdisk for mkimg's table, sleuthkit's fls and icat for the files inside; and by our own
 * reader, which must find the same files and make the boot the images are for.
 */
class RootImagesTest {
    private static final Path DIR = Trees.target().resolve("root-images");

    @Test
    void initIsAStaticFreeBsdExecutableWithTheAbiNote() throws Exception {
        Path init = RootImages.init();
        Map<String, String> h = Readelf.header(init);
        assertThat(h).containsEntry("Class", "ELF64").containsEntry("OS/ABI", "UNIX - FreeBSD")
                .containsEntry("Machine", "Advanced Micro Devices X86-64");
        assertThat(h.get("Type")).startsWith("EXEC");

        List<Readelf.Segment> segments = Readelf.segments(init);
        assertThat(segments).extracting(Readelf.Segment::type).containsExactly("LOAD", "LOAD", "NOTE");
        assertThat(segments.get(0).vaddr()).isEqualTo(0x400000);
        Readelf.Segment note = segments.get(2);
        assertThat(note.offset() + note.filesz()).as("the note within the first page").isLessThanOrEqualTo(4096);

        // NT_FREEBSD_ABI_TAG: "FreeBSD", a 4-byte osrel, 1302001 little-endian
        assertThat(Readelf.notes(init)).containsExactly(new Readelf.Note("FreeBSD", 4, "NT_VERSION (version)",
                "f1 dd 13 00"));
        Readelf.Section tag = Readelf.sections(init).stream().filter(s -> s.name().equals(".note.tag")).findFirst()
                .orElseThrow();
        assertThat(tag.type()).isEqualTo("NOTE");
        assertThat(tag.offset()).isEqualTo(note.offset());
        assertThat(tag.size()).isEqualTo(note.filesz());
    }

    @Test
    void ufs1RootHoldsTheInitAndADev() throws Exception {
        Path img = RootImages.ufs1Root(DIR.resolve("ufs1-root.img"));
        Map<String, String> inodes = fls(img, 0);
        assertThat(inodes.keySet()).containsExactly("d dev", "d etc", "d sbin", "r sbin/init");
        assertThat(icat(img, 0, inodes.get("r sbin/init"))).isEqualTo(Files.readAllBytes(RootImages.init()));
        assertThat(run("ls", "-d", img.toString(), "/sbin")).isEqualTo("init\n");
    }

    @Test
    void hostDirNamesTheRootAndCarriesLoaderConf() throws Exception {
        Path dir = RootImages.hostDir(Trees.generic(), "/dev/vtbd0", "root-images-host",
                "test.kenv=\"from loader.conf\"");
        assertThat(Files.readString(dir.resolve("etc/fstab"))).isEqualTo("/dev/vtbd0\t/\tufs\trw\t1\t1\n");
        String json = run("inspect", "-h", dir.toString(), "-m", "512M", "--json");
        assertThat(json).contains("\"currdev=host0:\"", "\"vfs.root.mountfrom=ufs:/dev/vtbd0\"",
                "\"test.kenv=from loader.conf\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"13.2", "15.1"})
    void gptDiskHoldsBootAndRoot(String release) throws Exception {
        Path generic = release.equals("13.2") ? Trees.generic() : Trees.generic15();
        Path tree = RootImages.bootTree(generic, "root-images-" + release, "nullfs_load=\"YES\"");
        Path img = RootImages.gptUfs2Disk(tree, "/dev/vtbd0p2", DIR.resolve("gpt-" + release + ".img"));

        long start = ufsPartitionStart(img);
        Map<String, String> inodes = fls(img, start);
        assertThat(inodes).containsKeys("d dev", "r etc/fstab", "r boot/loader.conf", "r boot/kernel/kernel",
                "r boot/kernel/nullfs.ko");
        assertThat(inodes.keySet()).filteredOn(k -> k.contains(" dev/") || k.contains(" sbin/"))
                .containsExactly("r sbin/init");
        assertThat(icat(img, start, inodes.get("r sbin/init"))).isEqualTo(Files.readAllBytes(RootImages.init()));
        assertThat(icat(img, start, inodes.get("r boot/kernel/kernel")))
                .isEqualTo(Files.readAllBytes(generic.resolve("boot/kernel/kernel")));
        assertThat(new String(icat(img, start, inodes.get("r etc/fstab")), StandardCharsets.US_ASCII))
                .isEqualTo("/dev/vtbd0p2\t/\tufs\trw\t1\t1\n");

        assertThat(run("ls", "-d", img.toString(), "/sbin")).isEqualTo("init\n");
        String json = run("inspect", "-d", img.toString(), "-m", "512M", "--json");
        assertThat(json).contains("\"currdev=disk0p2:\"", "\"vfs.root.mountfrom=ufs:/dev/vtbd0p2\"",
                "\"name\" : \"/boot/kernel/kernel\"", "\"name\" : \"/boot/kernel/nullfs.ko\"");
    }

    /** A root on the second disk: the first carries /boot and the fstab that names the second. */
    @Test
    void gptDiskCanNameARootOnTheSecondDisk() throws Exception {
        Path img = RootImages.gptUfs2Disk(Trees.generic(), "/dev/vtbd1", DIR.resolve("gpt-boot-only.img"));
        Path root = RootImages.ufs1Root(DIR.resolve("ufs1-second.img"));
        String json = run("inspect", "-d", img.toString(), "-d", root.toString(), "-m", "512M", "--json");
        assertThat(json).contains("\"currdev=disk0p2:\"", "\"vfs.root.mountfrom=ufs:/dev/vtbd1\"");
    }

    /** sgdisk's view of mkimg's table: freebsd-boot then the labelled freebsd-ufs; the latter's first sector. */
    private static long ufsPartitionStart(Path img) throws Exception {
        Require.tool("sgdisk");
        List<String[]> rows = new ArrayList<>();
        for (String line : Processes.run(List.of("sgdisk", "-p", img.toString()), null).split("\n")) {
            if (line.matches("\\s+\\d+\\s+\\d+\\s+\\d+.*")) {
                rows.add(line.trim().split("\\s+"));
            }
        }
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).startsWith("1").contains("A501");
        assertThat(rows.get(1)).startsWith(String.valueOf(RootImages.GPT_UFS_INDEX)).contains("A503",
                RootImages.GPT_UFS_LABEL);
        return Long.parseLong(rows.get(1)[1]);
    }

    /** fls -r -p's entries, as "KIND PATH" (d or r) → inode, for the file system at sector {@code start}. */
    private static Map<String, String> fls(Path img, long start) throws Exception {
        Require.tool("fls");
        Map<String, String> out = new TreeMap<>();
        for (String line : Processes.run(List.of("fls", "-r", "-p", "-o", String.valueOf(start), img.toString()), null)
                .split("\n")) {
            String[] parts = line.split("\t", 2);
            String[] head = parts[0].split(" ");
            if (!head[0].equals("V/V")) { // sleuthkit's own $OrphanFiles, not on the disk
                out.put(head[0].substring(0, 1) + " " + parts[1], head[head.length - 1].replace(":", ""));
            }
        }
        return out;
    }

    private static byte[] icat(Path img, long start, String inode) throws Exception {
        Require.tool("icat");
        Path out = DIR.resolve("icat.out");
        Processes.run(List.of("sh", "-c", "icat -o \"$0\" \"$1\" \"$2\" > \"$3\"", String.valueOf(start),
                img.toString(), inode, out.toString()), null);
        return Files.readAllBytes(out);
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
