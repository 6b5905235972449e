package userboot4j.vmm.kvm;

import userboot4j.vmm.RunResult;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import userboot4j.fs.host.HostFileSystem;
import userboot4j.loader.PreloadedFile;
import userboot4j.loader.PreparedBoot;
import userboot4j.loader.Userboot;
import userboot4j.testsupport.Oracle;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;
import userboot4j.vmm.kvm.dev.ScriptedConsole;
import userboot4j.vmm.kvm.dev.Uart16550;

/**
 * FreeBSD 13.2's GENERIC kernel, loaded by our loader with the modules its loader.conf asks for, runs under
 * KVM to the {@code mountroot>} prompt, where the test types {@code ?} and waits for the kernel's answer.
 */
class FreeBsdBootTest {
    static final long TIMEOUT_MILLIS = 300_000;
    static final String ROOT = "/dev/vtbd0p2";

    @BeforeEach
    void needKvm() {
        Require.kvm();
    }

    static Path tree(String modules) throws Exception {
        Path tree = Trees.copy(Trees.generic(), "freebsd-boot");
        Files.writeString(tree.resolve("boot/loader.conf"),
                modules.replace("\\n", "\n") + "\nboot_verbose=\"YES\"\n");
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/fstab"), "# Device\tMountpoint\tFStype\tOptions\tDump\tPass#\n"
                + ROOT + "\t/\tufs\trw\t1\t1\n");
        return tree;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"linux64_load=\"YES\"", "nullfs_load=\"YES\"\\ntmpfs_load=\"YES\""})
    void genericKernelReachesMountroot(String modules) throws Exception {
        Path tree = tree(modules);
        PreparedBoot prepared;
        try (HostFileSystem fs = HostFileSystem.open(tree)) {
            prepared = Userboot.boot(fs, new Userboot.Options(512L << 20, List.of()));
        }
        bootToMountroot(tree, prepared, modules);
    }

    /** The same kernel loaded from a GPT disk image whose freebsd-ufs partition holds the tree (makefs). */
    @org.junit.jupiter.api.Test
    void genericKernelFromAGptUfs2Image() throws Exception {
        Path tree = tree("nullfs_load=\"YES\"");
        Path dir = Trees.target().resolve("disk-images");
        Files.createDirectories(dir);
        Path img = userboot4j.testsupport.Images.gpt(userboot4j.testsupport.Images.ufs(tree, 2,
                dir.resolve("generic-ufs2.fs"), "-s", "64m"), dir.resolve("generic-gpt-ufs2.img"));
        PreparedBoot prepared;
        try (userboot4j.disk.Disks disks = userboot4j.disk.Disks.open(List.of(img));
                userboot4j.fs.FileSystem fs = userboot4j.fs.ufs.UfsFileSystem.probe(disks.open(disks.currdev()))) {
            prepared = Userboot.boot(fs, new Userboot.Options(512L << 20, List.of()));
        }
        assertThat(prepared.env()).contains("currdev=disk0p2:", "vfs.root.mountfrom=ufs:" + ROOT);
        bootToMountroot(tree, prepared, "nullfs_load, from disk0p2");
    }

    /** The default boot environment of the bootable corpus pool: OpenZFS 2.1, raidz1, lz4. */
    @org.junit.jupiter.api.Test
    void genericKernelFromTheBootablePool() throws Exception {
        PreparedBoot prepared = bootFromDisks(userboot4j.testsupport.ZfsFixtures.fbzmodern());
        assertThat(prepared.env()).contains("currdev=zfs:fbzmodern/ROOT/default:",
                "vfs.root.mountfrom=zfs:fbzmodern/ROOT/default");
        bootToMountroot(Trees.generic(), prepared, "linux64 from zfs:fbzmodern/ROOT/default",
                "zfs:fbzmodern/ROOT/default");
    }

    /** A zfs-fuse mirror made now on loop devices, the tree in an lzjb boot environment set as bootfs. */
    @org.junit.jupiter.api.Test
    void genericKernelFromAPoolMadeNow() throws Exception {
        Path tree = Oracle.bootable(tree("nullfs_load=\"YES\""), "freebsd-boot-zfs");
        Files.writeString(tree.resolve("etc/fstab"), "/dev/vtbd0p2\tnone\tswap\tsw\t0\t0\n");
        List<Path> disks = userboot4j.testsupport.ZfsFixtures.fusePool("ubzgeneric", "mirror", 2, "default",
                java.util.Map.of("default", tree.toString()));
        PreparedBoot prepared = bootFromDisks(disks);
        assertThat(prepared.env()).contains("currdev=zfs:ubzgeneric/ROOT/default:");
        bootToMountroot(tree, prepared, "nullfs from zfs:ubzgeneric/ROOT/default", "zfs:ubzgeneric/ROOT/default");
    }

    /** What `run -d …` boots: the command line's storage and boot options. */
    private static PreparedBoot bootFromDisks(List<Path> disks) throws Exception {
        return userboot4j.cli.TestBoot.boot(disks, "512M");
    }

    private static void bootToMountroot(Path tree, PreparedBoot prepared, String modules) throws Exception {
        bootToMountroot(tree, prepared, modules, "ufs:" + ROOT);
    }

    private static void bootToMountroot(Path tree, PreparedBoot prepared, String modules, String root) throws Exception {
        ScriptedConsole console = new ScriptedConsole(List.of(new ScriptedConsole.Step("mountroot> ", "?\n"),
                new ScriptedConsole.Step("List of GEOM managed disk devices:", null),
                new ScriptedConsole.Step("mountroot> ", null)));
        long start = System.nanoTime();
        RunResult r;
        try (KvmVm vm = KvmVm.create(prepared.image().memory())) {
            vm.load(prepared.image());
            Uart16550 com1 = new Uart16550(Uart16550.COM1, console.output(new ByteArrayOutputStream()), console.input());
            r = vm.run(userboot4j.vmm.kvm.dev.Devices.standard(com1), TIMEOUT_MILLIS, console::finished);
            System.out.printf("GENERIC (%s) reached mountroot> and answered '?' in %.1f s; fallback emulator: %s%n",
                    modules, (System.nanoTime() - start) / 1e9, vm.emulated());
        }
        String out = console.transcript();
        assertThat(r.outcome()).as(r.reason() + "\n" + out).isEqualTo(RunResult.Outcome.SCRIPT_DONE);
        assertThat(out).contains("FreeBSD 13.2-RELEASE GENERIC amd64", "Preloaded elf kernel \"/boot/kernel/kernel\"",
                "Device configuration finished.", "Trying to mount root from " + root);
        for (PreloadedFile f : prepared.files().subList(1, prepared.files().size())) {
            assertThat(out).contains("Preloaded elf obj module \"" + f.name() + "\"");
        }
        assertLinkerErrorsOnlyFromTheFixture(tree, prepared, out);
    }

    /**
     * The GENERIC tree's modules were built with a compiler that emits R_X86_64_REX_GOTPCRELX relocations
     * (readelf shows them), which FreeBSD 13.2's kernel linker refuses ("unexpected relocation type 42"):
     * such a module, and every module depending on it, fails in the kernel whoever loads it. Any other
     * KLD or linker message, or one about a module without such relocations, fails this test.
     */
    private static void assertLinkerErrorsOnlyFromTheFixture(Path tree, PreparedBoot prepared, String out) throws Exception {
        List<String> unfit = new ArrayList<>();
        for (PreloadedFile f : prepared.files().subList(1, prepared.files().size())) {
            String relocs = Processes.run(List.of("readelf", "-rW", tree.resolve(f.name().substring(1)).toString()), null);
            if (relocs.contains("R_X86_64_REX_GOTPCRELX")) {
                unfit.add(f.name().substring(f.name().lastIndexOf('/') + 1));
            }
        }
        List<String> errors = out.lines().filter(l -> l.startsWith("KLD file") || l.startsWith("link_elf")
                || l.startsWith("kldload:")).toList();
        System.out.println("modules with R_X86_64_REX_GOTPCRELX relocations: " + unfit + "; kernel linker said: " + errors);
        for (String e : errors) {
            boolean explained = e.startsWith("kldload: unexpected relocation type 42")
                    || e.equals("link_elf_obj: symbol __stack_chk_guard undefined")
                    || unfit.stream().anyMatch(m -> e.startsWith("KLD file " + m + " ")
                    || e.contains("cannot find dependency \"" + m.replace(".ko", "") + "\""));
            assertThat(explained).as("linker message not explained by the fixture: %s", e).isTrue();
        }
        if (unfit.isEmpty()) {
            assertThat(errors).isEmpty();
        }
    }
}
