package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Paths;
import java.util.List;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The command line knows devices, not file systems: jdeps (the JDK's class dependency analyser) finds no
 * class of userboot4j.cli that uses a userboot4j.fs type, even through {@code var} or a returned value.
 */
class CliBoundaryTest {
    @Test
    void cliUsesNoFileSystemTypes() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:class",
                Paths.get("target/classes").toAbsolutePath().toString());
        assertThat(status).as(err.toString()).isZero();
        List<String> cli = out.toString().lines().map(String::trim).filter(l -> l.startsWith("userboot4j.cli.")).toList();
        // the analysis saw the command line's reads, which go through the device layer
        assertThat(cli).anyMatch(l -> l.matches("userboot4j\\.cli\\.LsCommand\\s+-> userboot4j\\.dev\\.Devopen.*"));
        assertThat(cli).noneMatch(l -> l.matches("\\S+\\s+-> userboot4j\\.fs\\..*"));
    }
}
