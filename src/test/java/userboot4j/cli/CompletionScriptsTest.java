package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;

/**
 * The completion scripts the build writes with picocli's generator (target/completion): bash parses the
 * bash one and completes commands, options and help's topics with it; zsh parses the zsh one and, with its
 * completion system loaded, registers it for userboot4j.
 */
class CompletionScriptsTest {
    private static final Path DIR = Path.of("target/completion");

    /** What bash offers for the last word of {@code line}, as it would at a TAB. */
    private static String complete(String line) throws Exception {
        String words = line.endsWith(" ") ? line + "''" : line;
        return Processes.run(List.of("bash", "-c", "source " + DIR.resolve("userboot4j.bash") + "; COMP_WORDS=(" + words
                + "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; "
                + "_complete_userboot4j 2>/dev/null; echo \"${COMPREPLY[*]}\""), null).strip();
    }

    @Test
    void bashParsesAndCompletesWithIt() throws Exception {
        assertThat(DIR.resolve("userboot4j.bash")).isRegularFile();
        Processes.run(List.of("bash", "-n", DIR.resolve("userboot4j.bash").toString()), null);
        assertThat(complete("userboot4j ins")).isEqualTo("inspect");
        assertThat(complete("userboot4j inspect --j")).isEqualTo("--json");
        assertThat(complete("userboot4j ")).isEqualTo("inspect run lsdev ls cat kldxref help");
        assertThat(complete("userboot4j --")).isEqualTo("--help --version");
        assertThat(complete("userboot4j help ")).isEqualTo("inspect run lsdev ls cat kldxref help bhyveload");
    }

    @Test
    void zshParsesItAndRegistersIt() throws Exception {
        Require.tool("zsh");
        Path script = DIR.resolve("userboot4j.zsh");
        assertThat(script).isRegularFile();
        Processes.run(List.of("zsh", "-n", script.toAbsolutePath().toString()), null);
        String registered = Processes.run(List.of("zsh", "-fc", "autoload -U compinit && compinit -u -D; source " + script.toAbsolutePath()
                + "; print -r -- \"${_comps[userboot4j]}\""), Path.of("target"));
        assertThat(registered).contains("_complete_userboot4j");
    }
}
