package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import userboot4j.testsupport.Oracle;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Screens;
import userboot4j.testsupport.Trees;
import userboot4j.testsupport.VmmapiStub;

/**
 * The loader's own error lines (a malformed loader.conf line, a module it cannot find, a conf dir that is
 * not there) reach the user without --verbose, in the words FreeBSD's loader prints on its console for the
 * same tree, and the boot still succeeds.
 */
class LoaderErrorsTest {
    /** config.lua's failure messages (MSG_MALFORMED's two lines, MSG_FAIL*) and the C loader's command error. */
    private static final Pattern FREEBSD_ERROR = Pattern.compile("Malformed line \\(\\d+\\):|\t'.*'|Failed to .*|can't find .*");

    private static Path tree;
    private static List<String> oracleErrors;

    @BeforeAll
    static void treeAndOracle() throws Exception {
        tree = Oracle.bootable(Trees.probe(), "loader-errors");
        Trees.delete(tree.resolve("i386"));
        Files.writeString(tree.resolve("boot/loader.conf"),
                "beastie_disable=\"YES\"\nthis is not a valid line\nno_such_module_load=\"YES\"\nprobe.x=\"1\"\n");
        var report = Oracle.run(tree, "256M", List.of(), null);
        assertThat(report.path("result").asText()).isEqualTo("exec");
        oracleErrors = lines(Screens.text(report.path("console").asText())).stream()
                .filter(l -> FREEBSD_ERROR.matcher(l).matches()).toList();
        assertThat(oracleErrors).contains("Malformed line (2):", "\t'this is not a valid line'",
                "Failed to parse config: '/boot/loader.conf'", "can't find 'no_such_module'");
    }

    private static List<String> lines(String text) {
        return Arrays.asList(text.replace("\r", "").split("\n"));
    }

    @Test
    void inspectPrintsThemOnStandardError() {
        ProbeBootTest.Run r = ProbeBootTest.run("inspect", "-h", tree.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(lines(r.err())).containsExactlyInAnyOrderElementsOf(oracleErrors);
        // the table only: the profile line, then the entry state; none of the console's lines
        assertThat(r.out()).startsWith("Loader: FreeBSD 13").contains("\n\nEntry (amd64)\n");
        assertThat(lines(r.out())).doesNotContainAnyElementsOf(oracleErrors);
    }

    @Test
    void inspectVerbosePrintsThemOnceAmongTheOtherLines() {
        ProbeBootTest.Run r = ProbeBootTest.run("inspect", "--verbose", "-h", tree.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(lines(r.out())).containsAll(oracleErrors);
    }

    @Test
    void bhyveloadPrintsThemOnItsConsole() throws Exception {
        BhyveloadTest.Run run = BhyveloadTest.bhyveload(VmmapiStub.Build.FBSD14,
                List.of("-m", "256M", "-h", tree.toString(), "guest0"), Map.of());
        assertThat(run.result().status()).as(run.result().err()).isZero();
        assertThat(lines(run.result().out())).containsAll(oracleErrors);
    }

    @Test
    void runWithItsConsoleInAFilePrintsThemOnStandardError() throws Exception {
        Require.qemu();
        Path console = Trees.target().resolve("loader-errors-console.txt");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"run", "--vmm", "qemu", "-h", tree.toString(), "--console",
                console.toString(), "--timeout", "30"}, new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(err, true));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(lines(err.toString(StandardCharsets.UTF_8))).containsExactlyInAnyOrderElementsOf(oracleErrors);
        assertThat(lines(Files.readString(console))).containsAll(oracleErrors);
    }
}
