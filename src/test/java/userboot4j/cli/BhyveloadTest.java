package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import userboot4j.testsupport.Images;
import userboot4j.testsupport.Oracle;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Trees;
import userboot4j.testsupport.VmmapiStub;
import userboot4j.testsupport.VmmapiStub.Build;
import userboot4j.testsupport.VmmapiStub.Call;
import userboot4j.testsupport.ZfsFixtures;

/**
 * {@code bin/bhyveload} against the stand-in libvmmapi (chosen through jna.library.path): for a host
 * directory, a UFS image and a ZFS pool, the libvmmapi calls and guest memory against {@code inspect
 * --json} for the same inputs, and the register calls and final vCPU against what FreeBSD's own loader
 * asked bhyveload for (the oracle's events). Then every error path, message and exit status.
 */
class BhyveloadTest {
    static final String USAGE = "usage: bhyveload [-S][-c <console-device>] [-d <disk-path>] [-e <name=value>]\n"
            + "                 [-h <host-path>] [-m memsize[K|k|M|m|G|g|T|t]] <vmname>\n"
            + "                 -C: guest memory in core dumps; -S: wired guest memory\n"
            + "                 -l <loader>: accepted once and not loaded, the loader is built in\n";

    record Run(Processes.Result result, List<Call> calls, Path memory) {
    }

    /** Runs bin/bhyveload with the stub library {@code build} (null: none) and {@code env} for the stub. */
    static Run bhyveload(Build build, List<String> args, Map<String, String> env) throws Exception {
        return bhyveload(build, List.of(), args, env);
    }

    /** The same, bin/bhyveload run by {@code launcher} (a command that ends with bin/bhyveload's). */
    static Run bhyveload(Build build, List<String> launcher, List<String> args, Map<String, String> env)
            throws Exception {
        Path log = Files.createTempFile(Trees.target(), "bhyveload-", ".log");
        Path memory = Trees.target().resolve("bhyveload-memory.bin");
        Map<String, String> e = new HashMap<>(env);
        e.put("USERBOOT4J_CLASSPATH", System.getProperty("java.class.path"));
        e.put("VMMAPI_STUB_LOG", log.toString());
        e.put("VMMAPI_STUB_MEMORY", memory.toString());
        e.put("JAVA_OPTS", build == null ? "-Djna.library.path=" + Trees.target().resolve("no-such-dir")
                : "-Djna.library.path=" + VmmapiStub.library(build));
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(Paths.get("bin/bhyveload").toAbsolutePath().toString());
        cmd.addAll(args);
        Processes.Result r = Processes.exec(cmd, null, e);
        List<Call> calls = VmmapiStub.parse(log);
        Files.delete(log);
        return new Run(r, calls, memory);
    }

    @ParameterizedTest
    @EnumSource(value = Build.class, names = {"FBSD13", "FBSD14", "FBSD15"})
    void hostDirectory(Build build) throws Exception {
        Path tree = Oracle.bootable(Trees.probe(), "bhyveload-host");
        Trees.delete(tree.resolve("i386"));
        compare(build, List.of("-h", tree.toString()), "512M", List.of("probe.x=1", "boot_verbose=YES"));
    }

    @Test
    void i386FromHostDirectory() throws Exception {
        compare(Build.FBSD14, List.of("-h", Oracle.bootable(Trees.probe().resolve("i386"), "bhyveload-i386").toString()),
                "256M", List.of());
    }

    /** UFS1 in a GPT partition (FreeBSD 13.2's loader wants UFS2's superblock at 64 KiB; makefs puts it at 8). */
    @Test
    void ufsImage() throws Exception {
        Path tree = Oracle.bootable(Trees.probe(), "bhyveload-ufs");
        Trees.delete(tree.resolve("i386"));
        Path dir = Trees.target().resolve("disk-images");
        Files.createDirectories(dir);
        Path img = Images.gpt(Images.ufs(tree, 1, dir.resolve("bhyveload-ufs1.fs"), "-s", "24m"),
                dir.resolve("bhyveload-gpt-ufs1.img"));
        compare(Build.FBSD14, List.of("-d", img.toString()), "256M", List.of());
    }

    @Test
    void zfsPool() throws Exception {
        List<String> devices = new ArrayList<>();
        for (Path d : ZfsFixtures.fbzmodern()) {
            devices.add("-d");
            devices.add(d.toString());
        }
        compare(Build.FBSD13, devices, "512M", List.of());
    }

    /**
     * bhyveload's run against inspect's BootImage (calls, arguments, memory) and against the oracle (the
     * register calls bhyveload makes for the loader's callbacks, and the vCPU they leave).
     */
    static void compare(Build build, List<String> devices, String mem, List<String> env) throws Exception {
        List<String> common = new ArrayList<>(devices);
        common.addAll(List.of("-m", mem));
        for (String e : env) {
            common.add("-e");
            common.add(e);
        }
        Path dump = Trees.target().resolve("bhyveload-inspect.bin");
        List<String> inspect = new ArrayList<>(List.of("inspect", "--json", "--dump-memory", dump.toString()));
        inspect.addAll(common);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(Main.run(inspect.toArray(String[]::new), new PrintStream(out, true), new PrintStream(err, true)))
                .as("inspect: %s", err).isZero();
        JsonNode ours = new ObjectMapper().readTree(out.toByteArray());

        List<String> args = new ArrayList<>(List.of("-C", "-S"));
        args.addAll(common);
        args.add("guest0");
        Run run = bhyveload(build, args, Map.of());
        assertThat(run.result().status()).as("bhyveload: %s", run.result().err()).isZero();
        assertThat(run.result().err()).isEmpty();

        List<Call> calls = run.calls();
        List<String> names = calls.stream().map(Call::name).filter(n -> !n.equals("state") && !n.equals("vm_map_gpa"))
                .toList();
        List<String> setup = new ArrayList<>(List.of("vm_create", "vm_open"));
        if (build != Build.FBSD13) {
            setup.add("vm_vcpu_open");
        }
        setup.addAll(List.of("vm_set_memflags", "vm_setup_memory", "vm_get_lowmem_size", "vm_get_highmem_size"));
        assertThat(names.subList(0, setup.size())).isEqualTo(setup);
        assertThat(calls.get(0).arg("name")).isEqualTo("guest0");
        Call memflags = calls.get(setup.indexOf("vm_set_memflags"));
        assertThat(memflags.arg("flags")).isEqualTo("3");
        Call memory = calls.get(setup.indexOf("vm_setup_memory"));
        JsonNode layout = ours.path("memory");
        assertThat(memory.number("len")).isEqualTo(layout.path("lowmem").asLong() + layout.path("highmem").asLong());
        assertThat(memory.arg("style")).isEqualTo("1");
        assertThat(calls.stream().filter(c -> c.name().equals("vm_map_gpa"))).allSatisfy(c ->
                assertThat(c.args()).containsEntry("ctx", "ok").containsEntry("len", "4096").doesNotContainKey("result"));
        VmmapiStub.assertSameMemory(run.memory(), dump, layout.path("lowmem").asLong());

        JsonNode oracle = Oracle.run(devices, mem, env, null);
        assertThat(oracle.path("result").asText()).isEqualTo("exec");
        List<String> registerCalls = VmmapiStub.registerCalls(calls);
        assertThat(registerCalls).isEqualTo(VmmapiStub.bhyveloadCalls(VmmapiStub.oracleEvents(oracle)));
        assertThat(names.subList(setup.size(), names.size()))
                .isEqualTo(registerCalls.stream().map(c -> c.substring(0, c.indexOf(' '))).toList());

        JsonNode entry = ours.path("entry");
        String last = registerCalls.get(registerCalls.size() - 1);
        String gdt = entry.path("gdtr").path("base").asText();
        assertThat(last).isEqualTo(entry.path("mode").asText().equals("amd64")
                ? "vm_setup_freebsd_registers " + entry.path("rip").asText() + " " + entry.path("cr3").asText() + " "
                        + gdt + " " + entry.path("rsp").asText()
                : "vm_setup_freebsd_registers_i386 " + entry.path("rip").asText() + " " + gdt + " "
                        + entry.path("rsp").asText());

        Map<String, String> regs = new LinkedHashMap<>();
        oracle.path("vcpu0").path("regs").fields().forEachRemaining(f -> regs.put(f.getKey(), f.getValue().asText()));
        Map<String, String> descs = new LinkedHashMap<>();
        oracle.path("vcpu0").path("descs").fields().forEachRemaining(f -> descs.put(f.getKey(),
                f.getValue().path("base").asText() + " " + f.getValue().path("limit").asText() + " "
                        + f.getValue().path("access").asText()));
        assertThat(VmmapiStub.finalRegisters(calls)).isEqualTo(regs);
        assertThat(VmmapiStub.finalDescriptors(calls)).isEqualTo(descs);
    }

    private static Path probeTree() throws Exception {
        return Oracle.bootable(Trees.probe(), "bhyveload-errors");
    }

    private static void assertFails(Run run, int status, String stderr) {
        assertThat(run.result().err()).isEqualTo(stderr);
        assertThat(run.result().status()).isEqualTo(status);
    }

    @Test
    void badOptionsGetGetoptsMessageAndTheUsage() throws Exception {
        assertFails(bhyveload(Build.FBSD14, List.of("-x", "vm"), Map.of()), 1,
                "bhyveload: illegal option -- x\n" + USAGE);
        assertFails(bhyveload(Build.FBSD14, List.of("vm", "-m"), Map.of()), 1, USAGE);
        assertFails(bhyveload(Build.FBSD14, List.of("-m"), Map.of()), 1,
                "bhyveload: option requires an argument -- m\n" + USAGE);
        assertFails(bhyveload(Build.FBSD14, List.of("-CS"), Map.of()), 1, USAGE);
        assertFails(bhyveload(Build.FBSD14, List.of("-h", "/tmp", "vm1", "vm2"), Map.of()), 1, USAGE);
    }

    @Test
    void optionErrorsAreUsageErrors() throws Exception {
        Path file = Files.writeString(Trees.target().resolve("bhyveload-not-a-device"), "x");
        for (String c : List.of(file.toString(), "/nonexistent/nmdm0A")) {
            assertFails(bhyveload(Build.FBSD14, List.of("-c", c, "vm"), Map.of()), 64,
                    "bhyveload: Could not open '" + c + "'\n");
        }
        assertFails(bhyveload(Build.FBSD14, List.of("-d", "/nonexistent.img", "vm"), Map.of()), 64,
                "bhyveload: Could not open '/nonexistent.img'\n");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 33; i++) {
            many.addAll(List.of("-d", file.toString()));
        }
        many.add("vm");
        assertFails(bhyveload(Build.FBSD14, many, Map.of()), 64, "bhyveload: Could not open '" + file + "'\n");
        assertFails(bhyveload(Build.FBSD14, List.of("-l", "/boot/userboot.so", "-l", "x", "vm"), Map.of()), 64,
                "bhyveload: -l can only be given once\n");
        for (String m : List.of("12Q", "16E", "1.5G", "")) {
            assertFails(bhyveload(Build.FBSD14, List.of("-m", m, "vm"), Map.of()), 64,
                    "bhyveload: Invalid memsize '" + m + "'\n");
        }
    }

    /**
     * USERBOOT4J_LOADER_RELEASE stands for inspect's --loader-release: told 13.2 on a guest holding 15.1's
     * scripts, bhyveload writes the guest memory FreeBSD 15.1's loader writes when the guest holds 13.2's
     * (which boot as 13.2's do); an unknown release is a usage error before any VM is made.
     */
    @Test
    void loaderReleaseFromTheEnvironment() throws Exception {
        Path own = Oracle.bootable(Oracle.Release.FREEBSD_15_1, Trees.probe(), "bhyveload-release15");
        Trees.delete(own.resolve("i386"));
        Path older = Oracle.bootable(Oracle.Release.FREEBSD_13_2, own, "bhyveload-release13");
        Path dump = Trees.target().resolve("bhyveload-release-oracle.bin");
        JsonNode oracle = Oracle.run(Oracle.Release.FREEBSD_15_1, List.of("-h", older.toString()), "256M", List.of(),
                dump);
        assertThat(oracle.path("result").asText()).isEqualTo("exec");
        Run run = bhyveload(Build.FBSD14, List.of("-h", own.toString(), "-m", "256M", "vm"),
                Map.of("USERBOOT4J_LOADER_RELEASE", "13.2"));
        assertThat(run.result().status()).as(run.result().err()).isZero();
        VmmapiStub.assertSameMemory(run.memory(), dump, 256L << 20);
        Files.delete(dump);

        Run bad = bhyveload(Build.FBSD14, List.of("-h", own.toString(), "vm"), Map.of("USERBOOT4J_LOADER_RELEASE", "12"));
        assertFails(bad, 64, "bhyveload: unknown loader release '12' (13, 14 or 15, e.g. 15.1)\n");
        assertThat(bad.calls()).isEmpty();
    }

    /** Sizes vm_parse_memsize reads but the kernel's vm_alloc_memseg refuses: no pages, or part of one. */
    @Test
    void memorySizesBhyveRefuses() throws Exception {
        for (String m : List.of("0", "1000000000", "-5")) {
            assertFails(bhyveload(Build.FBSD14, List.of("-m", m, "-h", "/tmp", "vm"), Map.of()), 1,
                    "bhyveload: vm_setup_memory: Invalid argument\n");
        }
    }

    @Test
    void withoutLibvmmapiItSaysSoInOneLine() throws Exception {
        assertFails(bhyveload(null, List.of("-h", "/tmp", "vm"), Map.of()), 69,
                "bhyveload: libvmmapi is not available on this host: bhyveload needs FreeBSD's bhyve (here, use "
                        + "'userboot4j inspect', or 'userboot4j run' under Linux KVM)\n");
        Path lib = VmmapiStub.library(Build.WITHOUT_SETUP).resolve("libvmmapi.so");
        assertFails(bhyveload(Build.WITHOUT_SETUP, List.of("-h", "/tmp", "vm"), Map.of()), 69,
                "bhyveload: " + lib + " lacks vm_setup_freebsd_registers, vm_setup_freebsd_registers_i386: expected "
                        + "FreeBSD 15's libvmmapi (VMs made through /dev/vmmctl, vm_openf), FreeBSD 14's libvmmapi (vCPU "
                        + "calls taking a struct vcpu * from vm_vcpu_open) or FreeBSD 13's libvmmapi (vCPU calls taking the VM context and a vCPU number)\n");
    }

    /** Each libvmmapi failure ends as bhyveload's perror and exit(1); EEXIST is not one: the VM is re-initialised. */
    @Test
    void libvmmapiFailures() throws Exception {
        List<String> args = List.of("-h", probeTree().toString(), "vm");
        for (String fn : List.of("vm_create", "vm_open", "vm_setup_memory", "vm_set_register")) {
            assertFails(bhyveload(Build.FBSD14, args, Map.of("VMMAPI_STUB_FAIL", fn + ":1")), 1,
                    "bhyveload: " + fn + ": Operation not permitted\n");
        }
        assertFails(bhyveload(Build.FBSD13, args, Map.of("VMMAPI_STUB_FAIL", "vm_set_desc:12")), 1,
                "bhyveload: vm_set_desc(gdt): Cannot allocate memory\n");
        assertFails(bhyveload(Build.FBSD13, args, Map.of("VMMAPI_STUB_FAIL", "vm_setup_freebsd_registers:14")), 1,
                "bhyveload: vm_setup_freebsd_registers: Bad address\n");
        assertFails(bhyveload(Build.FBSD14, args, Map.of("VMMAPI_STUB_EXISTS", "1", "VMMAPI_STUB_FAIL",
                "vm_reinit:16")), 1, "bhyveload: vm_reinit: Device or resource busy\n");

        for (Build b : List.of(Build.FBSD13, Build.FBSD14, Build.FBSD15)) {
            Run existing = bhyveload(b, args, Map.of("VMMAPI_STUB_EXISTS", "1"));
            assertThat(existing.result().status()).as(existing.result().err()).isZero();
            assertThat(existing.calls().stream().map(Call::name).filter(n -> !n.equals("vm_vcpu_open")).limit(5))
                    .containsExactly("vm_create", "vm_open", "vm_reinit", "vm_set_memflags", "vm_setup_memory");
        }
    }

    /**
     * A VM that exists with other memory than -m asks for: FreeBSD 13's and 14's vm_setup_memory refuse it;
     * 15's keeps the VM's memory, and the loader is given that (the boot -m 512M makes), with a warning.
     */
    @Test
    void anExistingVmKeepsItsMemoryOnFreeBsd15() throws Exception {
        List<String> args = List.of("-h", probeTree().toString(), "-m", "256M", "vm");
        Map<String, String> existing = Map.of("VMMAPI_STUB_EXISTS", "1", "VMMAPI_STUB_SEGMENT", String.valueOf(512L << 20));
        for (Build b : List.of(Build.FBSD13, Build.FBSD14)) {
            assertFails(bhyveload(b, args, existing), 1, "bhyveload: vm_setup_memory: Invalid argument\n");
        }
        Run run = bhyveload(Build.FBSD15, args, existing);
        assertFails(run, 0, "bhyveload: VM vm already has 512 MiB of memory, which it keeps (not -m's 256 MiB): destroy "
                + "it first to change it (bhyvectl --destroy --vm=vm)\n");
        Path dump = Trees.target().resolve("bhyveload-inspect-512.bin");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(Main.run(new String[] {"inspect", "--dump-memory", dump.toString(), "-h", probeTree().toString(), "-m",
            "512M"}, new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true))).as("%s", err).isZero();
        VmmapiStub.assertSameMemory(run.memory(), dump, 512L << 20);
    }

    @Test
    void loaderErrorsEndInOneLine() throws Exception {
        Path empty = Files.createDirectories(Trees.target().resolve("bhyveload-empty"));
        Run run = bhyveload(Build.FBSD14, List.of("-h", empty.toString(), "vm"), Map.of());
        assertThat(run.result().status()).isEqualTo(66);
        assertThat(run.result().err()).startsWith("bhyveload: ").endsWith("\n").hasLineCount(1);
        assertFails(bhyveload(Build.FBSD14, List.of("vm"), Map.of()), 64,
                "bhyveload: give the guest's disks with -d IMAGE, or its /boot with -h DIR\n");
    }

    @Test
    void aCharacterDeviceIsAConsole() throws Exception {
        Run run = bhyveload(Build.FBSD14, List.of("-c", "/dev/null", "-h", probeTree().toString(), "vm"), Map.of());
        assertThat(run.result().status()).as(run.result().err()).isZero();
        assertThat(run.result().out()).isEmpty();
    }
}
