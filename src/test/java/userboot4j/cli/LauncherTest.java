package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;

/**
 * bin/userboot4j and its bhyveload link, and the release's install.sh, are POSIX sh, for FreeBSD hosts
 * whose base system has no bash: shellcheck finds nothing in them as sh, and Debian's dash (a POSIX shell
 * without bash's extensions) runs both names, passing arguments and JAVA_OPTS through. The launcher finds
 * Java through JAVA_HOME, else FreeBSD's /usr/local/openjdkN, else the PATH, and refuses one older than 17
 * by the JDK's own release file.
 */
class LauncherTest {
    @Test
    void shellcheckFindsNothingAsPosixSh() throws Exception {
        Require.tool("shellcheck");
        Processes.run(List.of("shellcheck", "-s", "sh", "bin/userboot4j", "src/main/release/install.sh"), null);
    }

    @Test
    void dashRunsBothNames() throws Exception {
        Require.tool("dash");
        Map<String, String> env = Map.of("USERBOOT4J_CLASSPATH", System.getProperty("java.class.path"),
                "JAVA_OPTS", "-Duserboot4j.test=1 -Xmx256m");
        Processes.Result ls = ls(env);
        assertThat(ls.status()).as(ls.err()).isZero();
        assertThat(ls.out()).contains("probe_a.ko\n");
        Processes.Result usage = Processes.exec(List.of("dash", Path.of("bin/bhyveload").toString()), null, env);
        assertThat(usage.status()).isEqualTo(1); // bhyveload's usage() exits 1
        assertThat(usage.err()).startsWith("usage: bhyveload ");
    }

    @Test
    void javaOnThePathServesWithoutJavaHome(@TempDir Path dir) throws Exception {
        Require.tool("dash");
        Processes.Result ls = ls(Map.of("JAVA_HOME", "", "PATH", path(dir, true), "USERBOOT4J_CLASSPATH",
                System.getProperty("java.class.path")));
        assertThat(ls.status()).as(ls.err()).isZero();
        assertThat(ls.out()).contains("probe_a.ko\n");
    }

    @Test
    void noJavaAnywhereIsSaid(@TempDir Path dir) throws Exception {
        Require.tool("dash");
        Require.condition(noOpenjdk(), "a host without /usr/local/openjdkN");
        Processes.Result r = ls(Map.of("JAVA_HOME", "", "PATH", path(dir, false)));
        assertThat(r.status()).isEqualTo(69);
        assertThat(r.err()).isEqualTo("userboot4j: no Java found: set JAVA_HOME, or install Java 17 or newer"
                + " (FreeBSD: pkg install openjdk17)\n");
    }

    @Test
    void aJavaHomeWithoutJavaIsSaid(@TempDir Path dir) throws Exception {
        Require.tool("dash");
        Processes.Result r = ls(Map.of("JAVA_HOME", dir.toString()));
        assertThat(r.status()).isEqualTo(69);
        assertThat(r.err()).isEqualTo("userboot4j: no Java at " + dir + "/bin/java (JAVA_HOME is " + dir + ")\n");
    }

    @Test
    void aJavaOlderThan17IsRefusedByItsReleaseFile(@TempDir Path dir) throws Exception {
        Require.tool("dash");
        // Java 11's release file as its JDK writes it; its java never runs
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"11.0.25\"\n"
                + "JAVA_VERSION_DATE=\"2024-10-15\"\n");
        Path java = Files.writeString(dir.resolve("bin/java"), "#!/bin/sh\nexit 99\n");
        java.toFile().setExecutable(true);
        Processes.Result r = ls(Map.of("JAVA_HOME", dir.toString()));
        assertThat(r.status()).isEqualTo(69);
        assertThat(r.err()).isEqualTo("userboot4j: " + java + " is Java 11.0.25; userboot4j needs Java 17 or newer\n");
    }

    /**
     * FreeBSD's packages install Java as /usr/local/openjdkN, and openjdk25's flavours as
     * openjdk25-jre-headless and the like (the ports' INSTALLDIR, PREFIX/PKGBASE): the newest from 17 up is
     * taken, though openjdk8 sorts last. Shown in a mount namespace whose /usr/local holds such directories,
     * each with a java that names itself.
     */
    @Test
    void theNewestOpenjdkPackageFrom17UpServesWithoutJavaHome() throws Exception {
        Require.tool("dash");
        Require.tool("unshare");
        Require.condition(Processes.exec(List.of("unshare", "--mount", "true"), null).status() == 0,
                "a mount namespace (unshare --mount, as root)");
        String script = "mount -t tmpfs tmpfs /usr/local\n"
                + "for d in openjdk8 openjdk17 openjdk21-jre-headless openjdk25x; do\n"
                + "  mkdir -p /usr/local/$d/bin\n"
                + "  printf '#!/bin/sh\\necho %s \"$*\"\\n' $d > /usr/local/$d/bin/java\n"
                + "  chmod +x /usr/local/$d/bin/java\n"
                + "done\n"
                + "exec dash bin/userboot4j ls x\n";
        Processes.Result r = Processes.exec(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                script), null, Map.of("JAVA_HOME", "", "USERBOOT4J_CLASSPATH", "classes"));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("openjdk21-jre-headless ").endsWith(" -cp classes userboot4j.cli.Main ls x\n");
    }

    @Test
    void anInstallationWithoutItsJarIsSaid(@TempDir Path prefix) throws Exception {
        Require.tool("dash");
        Files.createDirectories(prefix.resolve("bin"));
        Path launcher = Files.copy(Path.of("bin/userboot4j"), prefix.resolve("bin/userboot4j"));
        Processes.Result r = Processes.exec(List.of("dash", launcher.toString(), "ls"), null,
                Map.of("USERBOOT4J_CLASSPATH", ""));
        assertThat(r.status()).isEqualTo(69);
        assertThat(r.err()).isEqualTo("userboot4j: no userboot4j.jar in " + prefix + "/lib/userboot4j or " + prefix
                + "/lib: install it again\n");
    }

    private static Processes.Result ls(Map<String, String> env) throws Exception {
        return Processes.exec(List.of("dash", "bin/userboot4j", "ls", "-h", Trees.probe().toString(), "/boot/kernel"),
                null, env);
    }

    /** A PATH of one directory holding what the launcher runs besides java: readlink, and java if asked. */
    private static String path(Path dir, boolean withJava) throws Exception {
        Files.createSymbolicLink(dir.resolve("readlink"), Path.of(Processes.run(List.of("sh", "-c",
                "command -v readlink"), null).strip()));
        if (withJava) {
            Files.createSymbolicLink(dir.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        }
        return dir.toString();
    }

    private static boolean noOpenjdk() {
        String[] found = new java.io.File("/usr/local").list((d, name) -> name.startsWith("openjdk"));
        return found == null || found.length == 0;
    }
}
