package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import userboot4j.Sysexits;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;

/**
 * ./example.sh installs only what the example needs (scripts/install-deps.sh example), and its scripts are
 * clean under shellcheck. apt-get is a stand-in here that records what it was asked to install, on a PATH
 * that has none of the tools.
 */
class ExampleScriptTest {
    /** install-deps.sh with {@code args} on a PATH of only awk and the stand-in apt-get; what it installed. */
    private static Processes.Result installDeps(Path dir, String... args) throws Exception {
        Trees.delete(dir);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("awk"), Path.of(Processes.run(List.of("sh", "-c", "command -v awk"), null)
                .strip()));
        Path apt = bin.resolve("apt-get");
        Files.writeString(apt, "#!/bin/sh\necho \"$@\" >> \"" + dir.resolve("apt.log") + "\"\n");
        apt.toFile().setExecutable(true);
        List<String> cmd = new java.util.ArrayList<>(List.of("/bin/bash",
                Path.of("scripts/install-deps.sh").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return Processes.exec(cmd, null, Map.of("PATH", bin.toString()));
    }

    @Test
    void theExampleInstallsOnlyWhatItNeeds() throws Exception {
        Path dir = Trees.target().resolve("install-deps-example");
        Processes.Result r = installDeps(dir, "example");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("apt.log"))).containsExactly("update -qq",
                "install -y -qq openjdk-17-jdk-headless maven gcc binutils python3 qemu-system-x86");
    }

    @Test
    void theTestsInstallEveryTool() throws Exception {
        Path dir = Trees.target().resolve("install-deps-all");
        Processes.Result r = installDeps(dir);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("apt.log")).get(1).split(" ")).contains("qemu-system-x86",
                "zfs-fuse", "sleuthkit", "grub-common", "makefs", "shellcheck").doesNotHaveDuplicates();
    }

    @Test
    void anUnknownModeIsAUsageError() throws Exception {
        Processes.Result r = installDeps(Trees.target().resolve("install-deps-bad"), "everything");
        assertThat(r.status()).isEqualTo(Sysexits.EX_USAGE);
        assertThat(r.err()).endsWith("usage: " + Path.of("scripts/install-deps.sh").toAbsolutePath()
                + " [example|all]\n");
    }

    @Test
    void shellcheckFindsNothing() throws Exception {
        Require.tool("shellcheck");
        Processes.run(List.of("shellcheck", "example.sh", "scripts/install-deps.sh"), null);
    }
}
