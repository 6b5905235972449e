package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;

/**
 * `run` on a real pseudo-terminal (src/test/scripts/pty-run.py): the countdown and the OK prompt take the
 * keys as typed, the screens equal FreeBSD 13.2's loader's for the same keys, the probe kernel then runs,
 * and the terminal is in raw mode while userboot4j runs and restored after, also after quit and SIGINT.
 */
class PtyInteractTest {
    static JsonNode pty(String keys, String end, String mode) throws Exception {
        return pty("Hit [Enter]", InteractTest.tree(), keys, end, mode);
    }

    /** `run` on {@code tree}, keys typed once the screen shows {@code waitFor}. */
    static JsonNode pty(String waitFor, Path tree, String keys, String end, String mode) throws Exception {
        Require.qemu();
        Require.tool("python3");
        List<String> cmd = new ArrayList<>(List.of("python3", Paths.get("src/test/scripts/pty-run.py").toString(),
                waitFor, keys, end));
        if (mode != null) {
            cmd.add(mode);
        }
        // this JVM's class path: the classes under test, not a jar that the build makes later
        cmd.addAll(List.of("--", Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "run", "-h",
                tree.toString(), "-m", "256M", "--timeout", "30"));
        return new ObjectMapper().readTree(Processes.run(cmd, null));
    }

    /** The screen without the countdown's line, which depends on when the keys arrive. */
    static String withoutCountdown(String screen) {
        return screen.replaceAll("\rBooting \\[[^]]*\\] in \\d+ seconds?\\.\\.\\. ", "");
    }

    @Test
    void promptOnATerminalGivesTheOraclesScreens() throws Exception {
        String keys = "xlsmod\rset x=1\rshow x\runload\rlsmod\rload probe_solo\rboot\r";
        JsonNode r = pty(keys.replace("\r", "\\r"), "PROBE END", null);
        assertThat(r.path("status").asInt()).as(r.path("screen").asText()).isZero();
        assertThat(r.path("raw_while_running").asBoolean()).isTrue();
        assertThat(r.path("restored").asBoolean()).isTrue();
        String screen = InteractTest.screen(withoutCountdown(r.path("screen").asText()));
        String ours = screen.substring(0, screen.indexOf("OK boot\r\n") + "OK boot\r\n".length());

        Path keyFile = Trees.target().resolve("pty-keys");
        Files.writeString(keyFile, keys, StandardCharsets.ISO_8859_1);
        String oracle = InteractTest.screen(userboot4j.testsupport.Oracle.run(List.of("-h",
                InteractTest.tree().toString(), "-k", keyFile.toString()), "256M", List.of(), null)
                .path("console").asText());
        assertThat(ours).isEqualTo(oracle.substring(0, oracle.indexOf("OK boot\r\n") + "OK boot\r\n".length()));
        // probe_solo could not load before the kernel; boot loaded the kernel and loader.conf's modules again
        assertThat(screen).contains("\nPROBE BEGIN\n", "ENV x=1\n", "str=/boot/kernel/probe_a.ko")
                .doesNotContain("str=/boot/kernel/probe_solo.ko");
    }

    @Test
    void quitAndInterruptLeaveTheTerminalRestored() throws Exception {
        JsonNode quit = pty("xquit\\r", "", null);
        assertThat(quit.path("status").asInt()).isEqualTo(1);
        assertThat(quit.path("screen").asText()).contains("OK quit\r\n");
        assertThat(quit.path("restored").asBoolean()).isTrue();
        JsonNode sigint = pty("x", "OK ", "--sigint");
        assertThat(sigint.path("status").asInt()).as(sigint.path("screen").asText()).isEqualTo(130);
        assertThat(sigint.path("raw_while_running").asBoolean()).isTrue();
        assertThat(sigint.path("restored").asBoolean()).isTrue();
    }

    /** The menu's screen up to the kernel's loading, without its countdown's lines (they depend on timing). */
    static String menuScreen(String console) {
        String text = InteractTest.screen(console, "\u001bc")
                .replaceAll("Autoboot in -?\\d+ seconds\\. \\[Space\\] to pause \r\n", "");
        return text.substring(0, text.indexOf("Loading kernel..."));
    }

    /** The boot menu on a terminal: paused, Boot Options toggled, back, booted — the oracle's screens. */
    @Test
    void menuOnATerminalGivesTheOraclesScreens() throws Exception {
        Path tree = MenuTest.tree("");
        String keys = " 7m\b1";
        JsonNode r = pty("Autoboot in", tree, keys.replace("\b", "\\b"), "PROBE END", null);
        assertThat(r.path("status").asInt()).as(r.path("screen").asText()).isZero();
        Path keyFile = Trees.target().resolve("pty-keys");
        Files.writeString(keyFile, keys, StandardCharsets.ISO_8859_1);
        String oracle = userboot4j.testsupport.Oracle.run(List.of("-h", tree.toString(), "-k", keyFile.toString()),
                "256M", List.of(), null).path("console").asText();
        assertThat(menuScreen(r.path("screen").asText())).isEqualTo(menuScreen(oracle));
        assertThat(r.path("screen").asText()).contains("\nPROBE BEGIN\n", "ENV kern.smp.disabled=1\n");
    }
}
