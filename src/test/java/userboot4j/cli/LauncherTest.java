package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;

/**
 * bin/userboot4j and its bhyveload link are POSIX sh, for FreeBSD hosts whose base system has no bash:
 * shellcheck finds nothing in them as sh, and Debian's dash (a POSIX shell without bash's extensions) runs
 * both names, passing arguments and JAVA_OPTS through.
 */
class LauncherTest {
    @Test
    void shellcheckFindsNothingAsPosixSh() throws Exception {
        Require.tool("shellcheck");
        Processes.run(List.of("shellcheck", "-s", "sh", "bin/userboot4j"), null);
    }

    @Test
    void dashRunsBothNames() throws Exception {
        Require.tool("dash");
        Map<String, String> env = Map.of("USERBOOT4J_CLASSPATH", System.getProperty("java.class.path"),
                "JAVA_OPTS", "-Duserboot4j.test=1 -Xmx256m");
        Processes.Result ls = Processes.exec(List.of("dash", "bin/userboot4j", "ls", "-h", Trees.probe().toString(),
                "/boot/kernel"), null, env);
        assertThat(ls.status()).as(ls.err()).isZero();
        assertThat(ls.out()).contains("probe_a.ko\n");
        Processes.Result usage = Processes.exec(List.of("dash", Path.of("bin/bhyveload").toString()), null, env);
        assertThat(usage.status()).isEqualTo(1); // bhyveload's usage() exits 1
        assertThat(usage.err()).startsWith("usage: bhyveload ");
    }
}
