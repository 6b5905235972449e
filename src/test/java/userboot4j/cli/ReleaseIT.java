package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;

/**
 * The release archive as a user gets it (runs after {@code package}, failsafe): unpacked by tar into a fresh
 * directory, its launchers run under dash with neither Maven nor this checkout in reach (Java found on the
 * PATH), and give what the checkout's give; install.sh puts it under a PREFIX, where it runs with a
 * class-data-sharing archive made there for this JVM; mandoc and shellcheck find nothing in its man pages
 * and scripts.
 */
class ReleaseIT {
    /** Manuals of FreeBSD's base system the pages refer to, which a Linux host's mandoc cannot find. */
    private static final Set<String> FREEBSD_MANUALS = Set.of("bhyve 8", "bhyvectl 8", "bhyveload 8",
            "capsicum 4", "expand_number 3", "kldxref 8", "loader 8", "loader.conf 5", "nmdm 4", "nullfs 5",
            "sysexits 3");

    @TempDir
    static Path fresh;
    private static Path release;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("userboot4j.release"));
        Processes.run(List.of("tar", "-xzf", archive.toString(), "-C", fresh.toString()), null);
        String name = archive.getFileName().toString();
        release = fresh.resolve(name.substring(0, name.length() - ".tar.gz".length()));
    }

    @Test
    void libHoldsTheJarAndExactlyTheJarsItsClassPathNamesAndNoClassDataArchive() throws Exception {
        Set<String> classPath;
        try (JarFile jar = new JarFile(release.resolve("lib/userboot4j.jar").toFile())) {
            classPath = Set.of(jar.getManifest().getMainAttributes().getValue("Class-Path").split(" "));
        }
        // the archive's own listing: the unpacked lib/ gains a class-data-sharing archive on its first run
        String top = release.getFileName() + "/lib/";
        List<String> lib = Arrays.stream(Processes.run(List.of("tar", "-tzf", System.getProperty("userboot4j.release")),
                null).split("\n")).filter(l -> l.startsWith(top) && l.length() > top.length())
                .map(l -> l.substring(top.length())).toList();
        assertThat(classPath).contains("jna-" + com.sun.jna.Native.VERSION + ".jar");
        assertThat(lib).containsExactlyInAnyOrderElementsOf(
                Stream.concat(classPath.stream(), Stream.of("userboot4j.jar", "classlist")).toList());
        assertThat(release.resolve("bin/bhyveload")).isSymbolicLink();
    }

    @Test
    void launchersRunUnpackedWithoutMavenOrTheCheckout(@TempDir Path tools) throws Exception {
        Require.tool("dash");
        Map<String, String> env = withoutMaven(tools);
        for (List<String> args : List.of(List.of("inspect", "-h", probe()),
                List.of("inspect", "--json", "-h", probe()))) {
            Processes.Result unpacked = dash(release.resolve("bin/userboot4j"), args, env);
            assertThat(unpacked.status()).as(unpacked.err()).isZero();
            assertThat(unpacked.err()).isEmpty();
            assertThat(unpacked.out()).isEqualTo(Processes.run(Stream.concat(Stream.of("dash",
                    Path.of("bin/userboot4j").toAbsolutePath().toString()), args.stream()).toList(), null));
        }
        assertThat(release.resolve("lib/userboot4j-" + System.getProperty("java.runtime.version") + ".jsa"))
                .as("the class-data-sharing archive the first run made for this JVM").isRegularFile();
        Require.condition(System.getProperty("os.name").equals("Linux"), "a host without libvmmapi (Linux)");
        Processes.Result bhyveload = dash(release.resolve("bin/bhyveload"), List.of("-m", "256M", "-h", probe(), "vm0"),
                env);
        assertThat(bhyveload.status()).isEqualTo(69);
        assertThat(bhyveload.err()).startsWith("bhyveload: libvmmapi is not available on this host: ");
    }

    @Test
    void installPutsItUnderPrefixWithAClassDataArchiveForThisJvm(@TempDir Path prefix, @TempDir Path tools)
            throws Exception {
        Require.tool("dash");
        Map<String, String> env = withoutMaven(tools);
        Map<String, String> install = new HashMap<>(env);
        install.put("PREFIX", prefix.toString());
        Processes.Result r = dash(release.resolve("install.sh"), List.of(), install);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(prefix.resolve("lib/userboot4j/userboot4j-" + System.getProperty("java.runtime.version") + ".jsa"))
                .as("made at installation").isRegularFile();
        for (String page : List.of("man/man8/userboot4j.8", "man/man8/bhyveload.8")) {
            assertThat(prefix.resolve(page)).hasSameTextualContentAs(release.resolve(page));
        }
        assertThat(prefix.resolve("share/bash-completion/completions/userboot4j"))
                .hasSameTextualContentAs(release.resolve("completion/userboot4j.bash"));
        assertThat(prefix.resolve("share/userboot4j/userboot4j.zsh"))
                .hasSameTextualContentAs(release.resolve("completion/userboot4j.zsh"));

        Path log = tools.resolve("class-load.txt");
        env.put("JAVA_OPTS", "-Xlog:class+load:file=" + log);
        Processes.Result inspect = dash(prefix.resolve("bin/userboot4j"), List.of("inspect", "-h", probe()), env);
        assertThat(inspect.status()).as(inspect.err()).isZero();
        assertThat(inspect.out()).contains("/boot/kernel/kernel");
        List<String> ours = Files.readAllLines(log).stream().filter(l -> l.contains(" userboot4j.")).toList();
        assertThat(ours).isNotEmpty().allMatch(l -> l.endsWith("source: shared objects file"));
        env.remove("JAVA_OPTS");
        Require.condition(System.getProperty("os.name").equals("Linux"), "a host without libvmmapi (Linux)");
        Processes.Result bhyveload = dash(prefix.resolve("sbin/bhyveload"), List.of("-h", probe(), "vm0"), env);
        assertThat(bhyveload.status()).isEqualTo(69);
        assertThat(bhyveload.err()).startsWith("bhyveload: libvmmapi is not available on this host: ");
    }

    @Test
    void installLeavesABhyveloadThatIsNotALinkAlone(@TempDir Path prefix) throws Exception {
        Require.tool("dash");
        Files.createDirectories(prefix.resolve("sbin"));
        Files.writeString(prefix.resolve("sbin/bhyveload"), "FreeBSD's own\n");
        Processes.Result r = dash(release.resolve("install.sh"), List.of(prefix.toString()), Map.of());
        assertThat(r.status()).isEqualTo(73);
        assertThat(r.err()).isEqualTo("install.sh: " + prefix + "/sbin/bhyveload exists and is not a link: left alone,"
                + " nothing installed\n");
        assertThat(prefix.resolve("bin")).doesNotExist();
        assertThat(prefix.resolve("sbin/bhyveload")).hasContent("FreeBSD's own");
    }

    @Test
    void mandocFindsNothingInThePagesButFreeBsdManualsThisHostLacks() throws Exception {
        Require.tool("mandoc");
        Processes.Result lint = Processes.exec(List.of("mandoc", "-T", "lint", release.resolve(
                "man/man8/userboot4j.8").toString(), release.resolve("man/man8/bhyveload.8").toString()), null);
        // mandoc looks each .Xr up in /usr/share/man; the host's own out-of-date index is no finding about the pages
        List<String> findings = Arrays.stream((lint.out() + lint.err()).split("\n"))
                .filter(l -> !l.isEmpty() && !l.startsWith("mandoc: outdated mandoc.db"))
                .filter(l -> !FREEBSD_MANUALS.contains(l.replaceFirst(".*STYLE: referenced manual not found: Xr ", "")
                        .replaceFirst(" \\(\\d+ times\\)$", "")))
                .toList();
        assertThat(findings).isEmpty();
    }

    @Test
    void shellcheckFindsNothingInTheScriptsAsPosixSh() throws Exception {
        Require.tool("shellcheck");
        assertThat(Processes.run(List.of("shellcheck", "-s", "sh", release.resolve("install.sh").toString(),
                release.resolve("bin/userboot4j").toString()), null)).isEmpty();
    }

    private static String probe() throws Exception {
        return Trees.probe().toString();
    }

    private static Processes.Result dash(Path script, List<String> args, Map<String, String> env) throws Exception {
        return Processes.exec(Stream.concat(Stream.of("dash", script.toString()), args.stream()).toList(), fresh, env);
    }

    /**
     * An environment without JAVA_HOME or USERBOOT4J_CLASSPATH whose PATH leads first to java (a link, as
     * Debian's /usr/bin/java is) and to an mvn that fails, then to the system's commands.
     */
    private static Map<String, String> withoutMaven(Path tools) throws Exception {
        Files.createSymbolicLink(tools.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        Path mvn = Files.writeString(tools.resolve("mvn"), "#!/bin/sh\necho 'mvn was called' >&2\nexit 99\n");
        assertThat(mvn.toFile().setExecutable(true)).isTrue();
        return new HashMap<>(Map.of("PATH", tools + ":/usr/bin:/bin", "JAVA_HOME", "", "USERBOOT4J_CLASSPATH", ""));
    }
}
