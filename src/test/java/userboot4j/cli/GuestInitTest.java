package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.RootImages;
import userboot4j.testsupport.Trees;

/**
 * FreeBSD GENERIC booted by {@code run} under QEMU to its /sbin/init (fixtures/init), which reports on
 * the console what only a booted guest knows: the kernel environment it was handed and the files the
 * kernel linked. The root is on a disk the kernel mounts itself; init powers the guest off.
 */
class GuestInitTest {
    /** loader.conf: the linux64 chain (linux64 → linux_common → netlink), nullfs, and a variable of ours. */
    /** What 13.2's kernel links for LOADER_CONF. */
    static final List<String> MODULES = List.of("linux64.ko", "linux_common.ko", "netlink.ko", "nullfs.ko");
    static final String[] LOADER_CONF = {"linux64_load=\"YES\"", "nullfs_load=\"YES\"", "test.kenv=\"from-loader-conf\""};

    /** Where the images and consoles go. */
    static final Path DIR = Trees.target().resolve("guest-init");

    @BeforeAll
    static void setUp() throws Exception {
        Require.qemu();
        Files.createDirectories(DIR);
    }

    record Boot(int status, String console, String err) {
    }

    static Boot run(String name, String... args) throws Exception {
        Path console = DIR.resolve(name + "-console.txt");
        List<String> a = new ArrayList<>(List.of("run", "--vmm", "qemu", "--snapshot", "-m", "1G", "--timeout", "120",
                "--console", console.toString(), "-e", "test.cli=from-e"));
        a.addAll(List.of(args));
        ProbeBootTest.Run r = ProbeBootTest.run(a.toArray(String[]::new));
        // the guest's terminal driver ends lines with CR LF
        return new Boot(r.status(), Files.readString(console).replace("\r\n", "\n"), r.err());
    }

    /** The init's report, the kernel's own words on the root, and the power-off that ends the run. */
    static void assertReachedInit(Boot b, String root) {
        assertReachedInit(b, root, MODULES);
    }

    /** The same, with the modules this release's linux64 chain links. */
    static void assertReachedInit(Boot b, String root, List<String> modules) {
        assertThat(b.status()).as(b.err() + "\n" + tail(b.console())).isEqualTo(RunCommand.EXIT_POWER_OFF);
        assertThat(b.console()).contains("Trying to mount root from " + root, "\nINIT BEGIN pid=1\n",
                "\nKENV test.kenv=from-loader-conf\n", "\nKENV test.cli=from-e\n",
                "\nKENV vfs.root.mountfrom=" + root + "\n", "\nINIT END ");
        for (String ko : modules) {
            assertThat(b.console()).contains(" name=" + ko + " ");
        }
        // the kernel linker's complaints (a relocation it refuses, a missing symbol) name the file
        assertThat(b.console()).doesNotContain("unexpected relocation", "undefined symbol", "link_elf",
                "INIT ERROR", "INIT REBOOT FAILED");
    }

    private static String tail(String s) {
        return s.length() < 3000 ? s : s.substring(s.length() - 3000);
    }

    @Test
    void hostDirectoryWithTheRootOnAUfs1Disk() throws Exception {
        Path host = RootImages.hostDir(Trees.generic(), "/dev/vtbd0", "guest-init-host", LOADER_CONF);
        Path root = RootImages.ufs1Root(DIR.resolve("root-ufs1.img"));
        assertReachedInit(run("host-ufs1", "-h", host.toString(), "--guest-disk", root.toString()),
                "ufs:/dev/vtbd0");
    }

    @Test
    void gptDiskHoldingBootAndRoot() throws Exception {
        Path img = RootImages.gptUfs2Disk(RootImages.bootTree(Trees.generic(), "guest-init-gpt", LOADER_CONF),
                "/dev/vtbd0p2", DIR.resolve("gpt-ufs2.img"));
        byte[] before = Files.readAllBytes(img);
        assertReachedInit(run("gpt", "-d", img.toString()), "ufs:/dev/vtbd0p2");
        assertThat(Files.readAllBytes(img)).as("--snapshot keeps the image unchanged").isEqualTo(before);
    }

    /** The boot disk's fstab names the second disk, which is the root the kernel mounts. */
    @Test
    void rootOnTheSecondDisk() throws Exception {
        Path boot = RootImages.gptUfs2Disk(RootImages.bootTree(Trees.generic(), "guest-init-second", LOADER_CONF),
                "/dev/vtbd1p2", DIR.resolve("gpt-boot-disk.img"));
        Path second = RootImages.gptUfs2Disk(RootImages.bootTree(Trees.generic(), "guest-init-second-root"),
                "/dev/vtbd1p2", DIR.resolve("gpt-second.img"));
        assertReachedInit(run("second", "-d", boot.toString(), "-d", second.toString()), "ufs:/dev/vtbd1p2");
    }

    /** A guest that reboots (through the FADT's reset register) ends the run with its own status. */
    @Test
    void aRebootIsToldFromAPowerOff() throws Exception {
        Path img = RootImages.gptUfs2Disk(RootImages.bootTree(Trees.generic(), "guest-init-reboot", LOADER_CONF),
                "/dev/vtbd0p2", DIR.resolve("gpt-reboot.img"));
        Boot b = run("reboot", "-d", img.toString(), "-e", "init.end=reboot");
        assertThat(b.status()).as(b.err() + "\n" + tail(b.console())).isEqualTo(RunCommand.EXIT_REBOOT);
        // FreeBSD resets through ACPI before it would print "Rebooting..."
        assertThat(b.console()).contains("\nINIT END ").doesNotContain("Powering system off", "Rebooting...");
        // standard error also has the loader's error lines (the console goes to a file), then the verdict
        assertThat(b.err()).endsWith("userboot4j: the guest rebooted; run does not restart it\n");
        assertThat(b.err().lines().filter(l -> l.startsWith("userboot4j:"))).hasSize(1);
    }

    /**
     * FreeBSD 15.1's GENERIC the same way: its device.hints put uart0 "at acpi", so its console (and the
     * init's writes to /dev/console) needs COM1 declared in the DSDT.
     */
    @Test
    void freebsd15GptDisk() throws Exception {
        Path img = RootImages.gptUfs2Disk(RootImages.bootTree(Trees.generic15(), "guest-init-15", LOADER_CONF),
                "/dev/vtbd0p2", DIR.resolve("gpt-ufs2-15.img"));
        Boot b = run("gpt15", "-d", img.toString());
        // 15.1's linux_common needs mqueuefs, not netlink
        assertReachedInit(b, "ufs:/dev/vtbd0p2", List.of("linux64.ko", "linux_common.ko", "mqueuefs.ko", "nullfs.ko"));
        assertThat(b.console()).contains("FreeBSD 15.1-RELEASE",
                "uart0: <16550 or compatible> port 0x3f8-0x3ff irq 4 flags 0x10 on acpi0");
        // booted as 15.1's loader boots it: the module settings and core.lua's ACPI hint reach the kernel
        assertThat(b.console()).contains("\nKENV linux64_load=YES\n", "\nKENV hint.acpi.0.disabled=0\n");
    }
}
