package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import userboot4j.Sysexits;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Readelf;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;

/**
 * {@code run} where it cannot go on: no engine, an image QEMU refuses, a guest that never prints. Each
 * ends in one line and its status (docs/RUN.md), never a hang or a stack trace.
 */
class RunFailuresTest {
    /** The command line in a JVM of its own, with {@code path} as its PATH. */
    private static Processes.Result cli(String path, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "userboot4j.cli.Main"));
        cmd.addAll(List.of(args));
        return Processes.exec(cmd, null, Map.of("PATH", path));
    }

    private static void assertOneLine(Processes.Result r, int status, String... parts) {
        assertThat(r.status()).as(r.err()).isEqualTo(status);
        assertThat(r.err().lines().filter(l -> l.startsWith("userboot4j: ")).count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("\tat ").contains(parts);
    }

    @Test
    void qemuMissingNamesTheDebianPackage() throws Exception {
        Path empty = Files.createDirectories(Trees.target().resolve("empty-path"));
        assertOneLine(cli(empty.toString(), "run", "--vmm", "qemu", "-h", Trees.probe().toString()),
                Sysexits.EX_UNAVAILABLE, "qemu-system-x86_64 not found", "apt-get install qemu-system-x86");
    }

    @Test
    void autoTakesQemuFirstAndSaysWhatIsMissingWhenNothingRuns() throws Exception {
        assertThat(RunCommand.choose(RunCommand.Engine.AUTO, true, null)).isEqualTo(RunCommand.Engine.QEMU);
        assertThat(RunCommand.choose(RunCommand.Engine.AUTO, false, null)).isEqualTo(RunCommand.Engine.KVM);
        assertThat(RunCommand.choose(RunCommand.Engine.KVM, true, null)).isEqualTo(RunCommand.Engine.KVM);
        assertThatThrownBy(() -> RunCommand.choose(RunCommand.Engine.KVM, true, "why"))
                .hasMessage("the KVM backend cannot run here: why");
    }

    /** Neither QEMU on PATH nor /dev/kvm: one line saying why each engine cannot run, and EX_UNAVAILABLE. */
    @Test
    void noEngineSaysWhyEachCannotRun() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/dev/kvm")),
                "this machine has /dev/kvm: the KVM backend can run");
        Path empty = Files.createDirectories(Trees.target().resolve("empty-path"));
        Processes.Result r = cli(empty.toString(), "run", "-h", Trees.probe().toString());
        assertOneLine(r, Sysexits.EX_UNAVAILABLE, "userboot4j: no engine can run the guest here: QEMU is not installed"
                + " (no qemu-system-x86_64 on PATH; Debian package qemu-system-x86) and the KVM backend cannot run:"
                + " there is no /dev/kvm (no hardware virtualisation, or kvm_intel/kvm_amd not loaded)");
        assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
    }

    @Test
    void anImageQemuCannotOpenIsItsOwnLine() throws Exception {
        Require.qemu();
        Path dir = Files.createDirectories(Trees.target().resolve("not-an-image"));
        ProbeBootTest.Run r = ProbeBootTest.run("run", "--vmm", "qemu", "-h", Trees.probe().toString(),
                "--guest-disk", dir.toString(), "--console", Trees.target().resolve("not-an-image.txt").toString());
        assertThat(r.status()).as(r.err()).isEqualTo(Sysexits.EX_OSERR);
        assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("userboot4j: QEMU failed").contains(dir.toString());
    }

    /** The probe tree with {@code jmp .} at its kernel's entry point (file offset from readelf's program headers). */
    private static Path silentTree() throws Exception {
        Path t = ProbeBootTest.tree("silent", null);
        Path kernel = t.resolve("boot/kernel/kernel");
        long entry = Readelf.entry(kernel);
        Readelf.Segment text = Readelf.segments(kernel).stream().filter(g -> g.type().equals("LOAD")
                && entry >= g.vaddr() && entry < g.vaddr() + g.filesz()).findFirst().orElseThrow();
        try (FileChannel ch = FileChannel.open(kernel, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xeb, (byte) 0xfe}), text.offset() + entry - text.vaddr());
        }
        return t;
    }

    @Test
    void aGuestThatNeverPrintsEndsAtTheTimeLimit() throws Exception {
        Require.qemu();
        Path t = silentTree();
        long entry = Readelf.entry(t.resolve("boot/kernel/kernel"));
        long start = System.nanoTime();
        ProbeBootTest.Run r = ProbeBootTest.run("run", "--vmm", "qemu", "-h", t.toString(), "--timeout", "2",
                "--console", Trees.target().resolve("silent.txt").toString());
        assertThat(System.nanoTime() - start).isLessThan(20_000_000_000L);
        assertThat(r.status()).as(r.err()).isEqualTo(RunCommand.EX_TEMPFAIL);
        assertThat(r.err()).startsWith("userboot4j: the time limit (2 s) passed\n").doesNotContain("\tat ")
                .contains(String.format("RIP=%016x", 0xffffffffL & entry | 0xffffffff00000000L));
        assertThat(Files.readString(Trees.target().resolve("silent.txt"))).doesNotContain("PROBE BEGIN");
    }

    /** SIGTERM to run ends its QEMU too, and removes QEMU's working files. */
    @Test
    void endingRunEndsItsQemu() throws Exception {
        Require.qemu();
        Path t = silentTree();
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "userboot4j.cli.Main", "run", "--vmm", "qemu", "-h", t.toString(),
                "--timeout", "60", "--console", Trees.target().resolve("ended.txt").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        ProcessHandle qemu = null;
        for (int i = 0; i < 400 && qemu == null; i++) {
            qemu = run.descendants().filter(h -> h.info().command().orElse("").endsWith("qemu-system-x86_64"))
                    .findFirst().orElse(null);
            Thread.sleep(50);
        }
        assertThat(qemu).as("QEMU started").isNotNull();
        String work = qemu.info().arguments().map(List::of).orElseThrow().stream()
                .filter(a -> a.endsWith("firmware.bin")).findFirst().orElseThrow();
        run.destroy();
        assertThat(run.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        qemu.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(qemu.isAlive()).isFalse();
        assertThat(Path.of(work).getParent()).doesNotExist();
    }
}
