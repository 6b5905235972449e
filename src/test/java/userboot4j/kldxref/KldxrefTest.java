package userboot4j.kldxref;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import userboot4j.Sysexits;
import userboot4j.cli.Main;
import userboot4j.loader.LinkerHints;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;

/**
 * {@code userboot4j kldxref} against FreeBSD 13.2's own kldxref output (GENERIC's boot/kernel), the probe
 * tree's python-made hints, a module whose PNP table uses every field type (expected bytes written out by
 * hand from its C source), and damaged input.
 */
class KldxrefTest {
    private record Run(int status, String out, String err) {
    }

    private static Run kldxref(Path dir) {
        return kldxref(dir.toString());
    }

    private static Run kldxref(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("kldxref"));
        argv.addAll(List.of(args));
        int status = Main.run(argv.toArray(String[]::new), new PrintStream(out, true), new PrintStream(err, true));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** One line, the command's prefix, the file named, no stack trace. */
    private static void assertOneLineError(Run r, String file, String what) {
        assertThat(r.status()).as(r.err()).isEqualTo(Sysexits.EX_DATAERR);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("userboot4j: ").contains(file).contains(what).doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void genericBootKernelIsByteIdenticalToFreeBsdKldxref() throws Exception {
        Path kernelDir = Trees.generic().resolve("boot/kernel");
        byte[] freebsd = Files.readAllBytes(kernelDir.resolve("linker.hints"));
        assertThat(KldxrefWriter.hints(kernelDir)).isEqualTo(freebsd);
    }

    /** The records of a hints file, each with its length word, in file order. */
    private static List<byte[]> records(byte[] hints) {
        ByteBuffer b = ByteBuffer.wrap(hints).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        for (int p = 4; p < hints.length; p += 4 + b.getInt(p)) {
            out.add(Arrays.copyOfRange(hints, p, p + 4 + b.getInt(p)));
        }
        return out;
    }

    private static int type(byte[] rec) {
        return ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
    }

    /** The file an MDT_MODULE or MDT_VERSION record names: its last string (after the name, and version). */
    private static String file(byte[] rec) {
        int p = 8 + 1 + (rec[8] & 0xff);
        if (type(rec) == 3) {
            p = ((p - 4 + 3) & ~3) + 4 + 4;
        }
        return new String(rec, p + 1, rec[p] & 0xff, StandardCharsets.UTF_8);
    }

    private static List<byte[]> moduleFirst(List<byte[]> group) {
        List<byte[]> out = new ArrayList<>(group);
        for (byte[] rec : group) {
            if (type(rec) == 2) {
                out.remove(rec);
                out.add(0, rec);
                break;
            }
        }
        return out;
    }

    @Test
    void probeTreeAgreesWithThePythonHintsAndTheLoadersReader() throws Exception {
        Path dir = Trees.copy(Trees.probe().resolve("boot/kernel"), "kldxref-probe");
        byte[] python = Files.readAllBytes(dir.resolve("linker.hints"));
        Files.delete(dir.resolve("linker.hints"));
        Run r = kldxref(dir);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        byte[] ours = Files.readAllBytes(dir.resolve("linker.hints"));

        // mkhints.py writes a file's records in set order; FreeBSD's kldxref puts the first MDT_MODULE record
        // first. Apart from that the two must agree record for record.
        List<byte[]> expected = new ArrayList<>();
        List<byte[]> group = new ArrayList<>();
        for (byte[] rec : records(python)) {
            if (!group.isEmpty() && !file(rec).equals(file(group.get(0)))) {
                expected.addAll(moduleFirst(group));
                group.clear();
            }
            group.add(rec);
        }
        expected.addAll(moduleFirst(group));
        assertThat(records(ours)).containsExactlyElementsOf(expected);

        LinkerHints hints = LinkerHints.parse("linker.hints", ours);
        assertThat(hints.versions()).contains(new LinkerHints.VersionRecord("probe_builtin", 2, "kernel"),
                new LinkerHints.VersionRecord("probe_a", 1, "probe_a.ko"),
                new LinkerHints.VersionRecord("probe_solo", 3, "probe_solo.ko"),
                new LinkerHints.VersionRecord("probe_ver", 1, "probe_ver1.ko"),
                new LinkerHints.VersionRecord("probe_ver", 2, "probe_ver2.ko"),
                new LinkerHints.VersionRecord("probe_ver", 3, "probe_ver3.ko"));
    }

    @Test
    void directoryWithoutModulesGetsNoHintsAndLosesAStaleOne() throws Exception {
        Path dir = Trees.target().resolve("trees/kldxref-empty");
        Trees.delete(dir);
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("README"), "not a module\n");
        Files.write(dir.resolve("linker.hints"), new byte[] {1, 0, 0, 0});
        Files.write(dir.resolve("sub/linker.hints"), new byte[] {1, 0, 0, 0});
        Run r = kldxref(dir);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(dir.resolve("linker.hints")).doesNotExist();
        assertThat(dir.resolve("sub/linker.hints")).doesNotExist();
        assertThat(dir.resolve("README")).exists();
    }

    @Test
    void subdirectoriesGetTheirOwnHintsAndSymlinksAreNotFollowed() throws Exception {
        Path generic = Trees.generic().resolve("boot/kernel");
        Path dir = Trees.target().resolve("trees/kldxref-nested");
        Trees.delete(dir);
        Files.createDirectories(dir.resolve("modules"));
        Files.copy(generic.resolve("nullfs.ko"), dir.resolve("modules/nullfs.ko"));
        Files.createSymbolicLink(dir.resolve("tmpfs.ko"), generic.resolve("tmpfs.ko"));
        Files.copy(generic.resolve("nullfs.ko"), dir.resolve("nullfs.ko.debug"));
        Run r = kldxref(dir);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(dir.resolve("linker.hints")).doesNotExist();
        // What FreeBSD's kldxref recorded for the same file in GENERIC's boot/kernel (it has no PNP records).
        List<byte[]> freebsd = records(Files.readAllBytes(generic.resolve("linker.hints"))).stream()
                .filter(rec -> type(rec) != 4 && file(rec).equals("nullfs.ko")).toList();
        assertThat(freebsd).isNotEmpty();
        assertThat(records(Files.readAllBytes(dir.resolve("modules/linker.hints")))).containsExactlyElementsOf(freebsd);
    }

    /**
     * kldxref(8)'s options against FreeBSD 13.2's own kldxref on two copies of one tree (GENERIC's modules, a
     * subdirectory, a debug file, a text file, a symbolic link to a directory): -d prints the same files and
     * metadata and writes nothing, -v the same files, -R follows a path that is a link (and without it such a
     * path is left alone), -f names the hints files; the files written are byte for byte FreeBSD's.
     */
    @Test
    void optionsAgreeWithFreeBsdKldxref() throws Exception {
        Path freebsd = Require.sharedFixture("tools/freebsd-hosttools/bin/kldxref");
        Path theirs = optionsTree("kldxref-options-freebsd");
        Path ours = optionsTree("kldxref-options-ours");
        for (List<String> opts : List.of(List.of("-d"), List.of("-v"), List.of("-v", "-f", "other.hints"),
                List.of("-R", "-v"))) {
            for (String path : List.of("", "/link", "/nullfs.ko")) {
                List<String> cmd = new ArrayList<>(List.of(freebsd.toString()));
                cmd.addAll(opts);
                cmd.add(theirs + path);
                Processes.Result expected = Processes.exec(cmd, null);
                List<String> args = new ArrayList<>(opts);
                args.add(ours + path);
                Run r = kldxref(args.toArray(String[]::new));
                String what = opts + " " + path;
                assertThat(r.status() == 0).as(what + ": " + r.err()).isEqualTo(expected.status() == 0);
                assertThat(r.out()).as(what).isEqualTo(expected.out().replace(theirs.toString(), ours.toString()));
                if (r.status() != 0) {
                    assertThat(r.err()).as(what).startsWith("userboot4j: ").contains("not a directory");
                }
            }
        }
        try (java.util.stream.Stream<Path> a = Files.walk(theirs); java.util.stream.Stream<Path> b = Files.walk(ours)) {
            List<String> written = a.filter(p -> p.toString().contains("hints")).map(p -> theirs.relativize(p).toString())
                    .sorted().toList();
            assertThat(written).contains("other.hints", "sub/other.hints", "linker.hints").doesNotContain("link");
            assertThat(b.filter(p -> p.toString().contains("hints")).map(p -> ours.relativize(p).toString()).sorted()
                    .toList()).isEqualTo(written);
            for (String f : written) {
                assertThat(Files.readAllBytes(ours.resolve(f))).as(f).isEqualTo(Files.readAllBytes(theirs.resolve(f)));
            }
        }
        assertThat(kldxref("-d", ours + "/missing").status()).isEqualTo(Sysexits.EX_NOINPUT);
    }

    /** GENERIC's nullfs.ko, its debug file, a text file, sub/tmpfs.ko, and a link to a directory of netlink.ko. */
    private static Path optionsTree(String name) throws Exception {
        Path generic = Trees.generic().resolve("boot/kernel");
        Path dir = Trees.target().resolve("trees/" + name);
        Trees.delete(dir);
        Files.createDirectories(dir.resolve("sub"));
        Path linked = Trees.target().resolve("trees/" + name + "-linked");
        Trees.delete(linked);
        Files.createDirectories(linked);
        Files.copy(generic.resolve("nullfs.ko"), dir.resolve("nullfs.ko"));
        Files.copy(generic.resolve("nullfs.ko"), dir.resolve("nullfs.ko.debug"));
        Files.writeString(dir.resolve("notes.txt"), "not a module\n");
        Files.copy(generic.resolve("tmpfs.ko"), dir.resolve("sub/tmpfs.ko"));
        Files.copy(generic.resolve("netlink.ko"), linked.resolve("netlink.ko"));
        Files.createSymbolicLink(dir.resolve("link"), linked);
        return dir;
    }

    @Test
    void truncatedModuleIsOneLineAndLeavesTheOldHints() throws Exception {
        Path dir = Trees.target().resolve("trees/kldxref-truncated");
        Trees.delete(dir);
        Files.createDirectories(dir);
        byte[] ko = Files.readAllBytes(Trees.generic().resolve("boot/kernel/tmpfs.ko"));
        Files.write(dir.resolve("tmpfs.ko"), Arrays.copyOf(ko, 4096));
        byte[] old = {1, 0, 0, 0};
        Files.write(dir.resolve("linker.hints"), old);
        assertOneLineError(kldxref(dir), "tmpfs.ko", "past the end of the file");
        assertThat(Files.readAllBytes(dir.resolve("linker.hints"))).isEqualTo(old);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("tmpfs.ko", "linker.hints");
        }
    }

    /** Compiles pnp_module.c (damaged as {@code hostile} says, 0 for intact) into DIR/pnp.ko. */
    private static Path pnpModule(String name, int hostile) throws Exception {
        Require.tool("gcc");
        Path dir = Trees.target().resolve("trees/kldxref-" + name);
        Trees.delete(dir);
        Files.createDirectories(dir);
        Processes.run(List.of("gcc", "-c", "-O2", "-fno-pic", "-DHOSTILE=" + hostile, "-o",
                dir.resolve("pnp.ko").toString(),
                Path.of("src/test/resources/userboot4j/kldxref/pnp_module.c").toAbsolutePath().toString()), null);
        return dir;
    }

    /** Little-endian record bytes as kldxref lays them out, written independently of the code under test. */
    private static final class Expected {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();

        Expected i(int v) {
            while (b.size() % 4 != 0) {
                b.write(0);
            }
            b.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
            return this;
        }

        Expected s(String v) {
            b.write(v.length());
            b.writeBytes(v.getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        byte[] framed() {
            while (b.size() % 4 != 0) {
                b.write(0);
            }
            byte[] body = b.toByteArray();
            return ByteBuffer.allocate(4 + body.length).order(ByteOrder.LITTLE_ENDIAN).putInt(body.length).put(body)
                    .array();
        }
    }

    @Test
    void everyPnpFieldTypeAsKldxrefWritesIt() throws Exception {
        Path dir = pnpModule("pnp", 0);
        Run r = kldxref(dir);
        assertThat(r.status()).as(r.err()).isZero();
        List<byte[]> recs = records(Files.readAllBytes(dir.resolve("linker.hints")));
        assertThat(recs).hasSize(3);
        assertThat(recs.get(0)).isEqualTo(new Expected().i(2).s("pnptest").s("pnp.ko").framed());
        assertThat(recs.get(1)).isEqualTo(new Expected().i(3).s("pnptest").i(7).s("pnp.ko").framed());
        // P takes room but is not written; V/W32 wildcards (all ones) become -1; U16 0xffff stays 65535;
        // W32 splits into two ints; E 0x0105d041 is the EISA id PNP0501; T takes no room.
        byte[] pnp = new Expected().i(4).s("pci")
                .s("I:u8;J:v8;G:g16;L:l16;M:m16;I:u16;J:v16;I:u32;J:v32;I:ven;I:dev;D:#;Z:z;Z:eisa;T:mode=host;")
                .i(2)
                .i(0x12).i(-1).i(0x1234).i(0x5678).i(3).i(0xffff).i(-1).i(0xdeadbeef).i(-1).i(0x8086).i(0x1234)
                .s("Serial port").s("pnp0").s("PNP0501")
                .i(0).i(7).i(0).i(0).i(0).i(0).i(0).i(0).i(5).i(0).i(0).s("").s("").s("@@@0000")
                .framed();
        assertThat(recs.get(2)).isEqualTo(pnp);
    }

    @Test
    void hostilePnpTablesAreOneLineErrors() throws Exception {
        assertOneLineError(kldxref(pnpModule("pnp-short", 1)), "pnp.ko", "lies outside its 8-byte entries");
        assertOneLineError(kldxref(pnpModule("pnp-type", 2)), "pnp.ko", "parse error of description string");
        assertOneLineError(kldxref(pnpModule("pnp-negative", 3)), "pnp.ko", "claims -1 entries");
        assertOneLineError(kldxref(pnpModule("pnp-long", 4)), "pnp.ko", "outside every loaded section");
    }

    @Test
    void missingDirectoryIsNoInput() {
        Run r = kldxref(Trees.target().resolve("trees/kldxref-nonexistent"));
        assertThat(r.status()).isEqualTo(Sysexits.EX_NOINPUT);
        assertThat(r.err().lines().toList()).hasSize(1);
    }
}
