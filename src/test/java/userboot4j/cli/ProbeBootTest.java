package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import userboot4j.Sysexits;
import userboot4j.testsupport.Trees;

/**
 * The probe tree through the command line: module choices, and every kind of bad input ending in one
 * line that names the file and the problem, with a sysexits status and no stack trace.
 */
class ProbeBootTest {
    record Run(int status, String out, String err) {
    }

    static Run inspect(Path tree, String... extra) {
        List<String> args = new ArrayList<>(List.of("inspect", "-h", tree.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    static Path tree(String name, String loaderConf) throws Exception {
        Path t = Trees.copy(Trees.probe(), name);
        if (loaderConf != null) {
            Files.writeString(t.resolve("boot/loader.conf"), loaderConf);
        }
        return t;
    }

    static void assertOneLineError(Run r, int status, String... parts) {
        assertThat(r.status()).as(r.err()).isEqualTo(status);
        assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("userboot4j: ").doesNotContain("\tat ").contains(parts);
        assertThat(r.out()).isEmpty();
    }

    private static List<String> names(Run r) throws Exception {
        assertThat(r.status()).as(r.err()).isZero();
        List<String> out = new ArrayList<>();
        for (JsonNode f : new ObjectMapper().readTree(r.out()).path("files")) {
            out.add(f.path("name").asText());
        }
        return out;
    }

    @Test
    void chainAndPreferredVersion() throws Exception {
        assertThat(names(inspect(Trees.probe(), "--json"))).containsExactly("/boot/kernel/kernel",
                "/boot/kernel/probe_a.ko", "/boot/kernel/probe_b.ko", "/boot/kernel/probe_c.ko",
                "/boot/kernel/probe_ver2.ko");
    }

    @Test
    void bestVersionInRangeWhenThePreferredOneIsMissing() throws Exception {
        Path t = tree("probe-d", "probe_d_load=\"YES\"\n");
        assertThat(names(inspect(t, "--json"))).containsExactly("/boot/kernel/kernel", "/boot/kernel/probe_d.ko",
                "/boot/kernel/probe_ver3.ko");
    }

    @Test
    void alreadySatisfiedDependenciesLoadNothing() throws Exception {
        Path t = tree("probe-ad", "probe_a_load=\"YES\"\nprobe_d_load=\"YES\"\nprobe_solo_load=\"YES\"\n");
        assertThat(names(inspect(t, "--json"))).containsExactly("/boot/kernel/kernel", "/boot/kernel/probe_a.ko",
                "/boot/kernel/probe_b.ko", "/boot/kernel/probe_c.ko", "/boot/kernel/probe_ver2.ko",
                "/boot/kernel/probe_d.ko", "/boot/kernel/probe_solo.ko");
    }

    @Test
    void missingKernel() throws Exception {
        Path t = tree("no-kernel", null);
        Files.delete(t.resolve("boot/kernel/kernel"));
        assertOneLineError(inspect(t), Sysexits.EX_NOINPUT, "kernel");
    }

    @Test
    void notAnElfFile() throws Exception {
        Path t = tree("text-kernel", null);
        Files.writeString(t.resolve("boot/kernel/kernel"), "#!/bin/sh\necho this is no kernel\n");
        assertOneLineError(inspect(t), Sysexits.EX_DATAERR, "/boot/kernel/kernel", "not an ELF file");
    }

    @Test
    void truncatedKernel() throws Exception {
        Path t = tree("truncated-kernel", null);
        Path k = t.resolve("boot/kernel/kernel");
        byte[] b = Files.readAllBytes(k);
        Files.write(k, java.util.Arrays.copyOf(b, 3000));
        assertOneLineError(inspect(t), Sysexits.EX_DATAERR, "/boot/kernel/kernel", "past the end of the file");
    }

    @Test
    void wrongMachineAndWrongClass() throws Exception {
        Path t = tree("i386-kernel", null);
        Path k = t.resolve("boot/kernel/kernel");
        byte[] b = Files.readAllBytes(k);
        b[18] = 3; // e_machine = EM_386
        Files.write(k, b);
        assertOneLineError(inspect(t), Sysexits.EX_DATAERR, "/boot/kernel/kernel", "neither an amd64");
        b[18] = 62;
        b[4] = 1; // EI_CLASS = ELFCLASS32: the 64-bit header no longer parses as a 32-bit one
        Files.write(k, b);
        assertOneLineError(inspect(t), Sysexits.EX_DATAERR, "/boot/kernel/kernel");
    }

    @Test
    void kernelOutsideGuestMemory() throws Exception {
        assertOneLineError(inspect(Trees.probe(), "-m", "1M"), Sysexits.EX_DATAERR,
                "guest memory (1 MiB) is too small for this boot: it needs at least");
    }

    /**
     * Modules that cannot be loaded — a dependency nowhere, no version in range, a relocation the loader does
     * not handle, two modules needing each other — end neither boot: FreeBSD's loader reports each as its
     * command error and boots without it (or, for the circle, with both), and ours agrees with it on the
     * console, the files, the hand-off and guest memory.
     */
    @ParameterizedTest
    @ValueSource(strings = {"bad_missing", "bad_version", "bad_reloc", "bad_cycle1"})
    void brokenModulesAreReportedAndTheBootGoesOn(String module) throws Exception {
        Path t = userboot4j.testsupport.Oracle.bootable(tree("bad-" + module, "module_path=\"/boot/probe-bad\"\n"
                + module + "_load=\"YES\"\nautoboot_delay=\"0\"\n"), "oracle-" + module);
        Trees.delete(t.resolve("i386"));
        OracleDifferentialTest.compare(t, "256M", List.of());
        Run r = inspect(t, "--verbose");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains(module.equals("bad_reloc")
                ? "\nunhandled relocation type 24\ncan't load file '/boot/probe-bad/bad_reloc.ko': input/output error\n"
                : module.equals("bad_cycle1") ? "\n/boot/probe-bad/bad_cycle2.ko size 0x"
                : "\ncan't find '" + (module.equals("bad_missing") ? "probe_nonexistent" : "probe_ver") + "'\n");
    }

    /** -h naming the guest's /boot instead of its root: the refusal says so. */
    @Test
    void bootDirectoryGivenForTheRootGetsAHint() throws Exception {
        assertOneLineError(inspect(Trees.probe().resolve("boot")), Sysexits.EX_NOINPUT, "can't find a kernel",
                "looks like the guest's /boot itself", "the guest's root");
    }

    @Test
    void hostDirectoryEscapes() throws Exception {
        Path t = tree("escape-raw", "x_load=\"YES\"\nx_type=\"md_image\"\nx_name=\"/../../../etc/passwd\"\n");
        assertOneLineError(inspect(t), Sysexits.EX_NOPERM, "/../../../etc/passwd", "leaves the host directory");
        Path k = tree("escape-link", null);
        Files.delete(k.resolve("boot/kernel/kernel"));
        Files.createSymbolicLink(k.resolve("boot/kernel/kernel"), Path.of("/etc/passwd"));
        assertOneLineError(inspect(k), Sysexits.EX_NOPERM, "/boot/kernel/kernel", "/etc/passwd");
    }

    @Test
    void runExitsWithTheGuestsVerdict() throws Exception {
        userboot4j.testsupport.Require.qemu();
        Path console = Trees.target().resolve("probe-console.txt");
        List<String> args = new ArrayList<>(List.of("run", "-h", Trees.probe().toString(), "--console",
                console.toString(), "--timeout", "30"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(err, true));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(Files.readString(console)).startsWith("Loading /boot/defaults/loader.conf\n")
                .contains("\nLoading kernel...\n/boot/kernel/kernel text=", "\nPROBE BEGIN\n").contains("\nPROBE END records=37 ");
    }

    /**
     * The probe kernel, run under QEMU from the tree whose loader.conf uses every construct, reports what that
     * file asked for: the raw files with their types, the module with its flags, the tunables.
     */
    @Test
    void everyLoaderConfConstructReachesTheKernel() throws Exception {
        userboot4j.testsupport.Require.qemu();
        Path console = Trees.target().resolve("every-construct-console.txt");
        Run r = run("run", "-h", OracleDifferentialTest.everyConstructTree().toString(), "-m", "256M", "--timeout",
                "30", "--console", console.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readString(console)).contains(
                "MI type=0x1 size=14 str=/boot/mfsroot\nMI type=0x2 size=9 str=md_image\n",
                "MI type=0x1 size=25 str=/boot/firmware/ucode.bin\nMI type=0x2 size=14 str=cpu_microcode\n",
                "MI type=0x1 size=14 str=/boot/entropy\nMI type=0x2 size=19 str=boot_entropy_cache\n",
                "str=/boot/kernel/probe_solo.ko\nMI type=0x2 size=15 str=elf obj module\nMI type=0x6 size=9 str=-x arg=1\n",
                "str=/boot/kernel/probe_a.ko\n", "\nENV hw.physmem=1G\n", "\nENV kern.hz=100\n",
                "\nENV some.thing=with spaces inside\n", "\nENV extra.var=from conf dir\n", "\nPROBE END ")
                .doesNotContain("str=/boot/kernel/missing");
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
        // output as bytes (cat), one char each
        return new Run(status, out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.UTF_8));
    }

    /** --verbose puts the loader's lines (as the oracle tests compare them) before the table; plain inspect does not. */
    @Test
    void verboseShowsTheLoadersLines() throws Exception {
        Run plain = inspect(Trees.probe());
        Run verbose = inspect(Trees.probe(), "--verbose");
        assertThat(verbose.status()).as(verbose.err()).isZero();
        assertThat(verbose.out()).startsWith("Loading /boot/defaults/loader.conf\n").contains(
                "\nLoading kernel...\n/boot/kernel/kernel text=", "\nLoading configured modules...\n",
                "\n/boot/kernel/probe_a.ko size 0x").endsWith(plain.out());
        assertThat(plain.out()).doesNotContain("Loading kernel...");
    }

    @Test
    void debugShowsTheStackTrace() throws Exception {
        Run r = inspect(Trees.probe(), "-m", "1M", "--debug");
        assertThat(r.status()).isEqualTo(Sysexits.EX_DATAERR);
        assertThat(r.err()).contains("\tat ").contains("userboot4j: ");
    }

    @Test
    void badOptionIsAUsageError() {
        Run r = inspect(Path.of("/nonexistent"), "-m", "lots");
        assertThat(r.status()).isEqualTo(Sysexits.EX_USAGE);
        assertThat(r.err()).contains("invalid memory size 'lots'");
        Run zero = inspect(Path.of("/nonexistent"), "-m", "0");
        assertThat(zero.status()).isEqualTo(Sysexits.EX_USAGE);
        assertThat(zero.err()).isEqualTo("userboot4j: memory size '0' is 0 bytes: bhyve takes a non-zero multiple of "
                + "4096 bytes (and userboot4j less than 8 EiB)\n");
    }
}
