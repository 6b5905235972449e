package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import userboot4j.loader.Interact;
import userboot4j.testsupport.Oracle;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;
import userboot4j.testsupport.VmmapiStub;
import userboot4j.testsupport.VmmapiStub.Build;

/**
 * bin/bhyveload's console with someone at it, through src/test/scripts/pty-run.py: standard input and
 * output on a pseudo-terminal, or {@code -c} naming a pseudo-terminal's device as it would an nmdm(4) end.
 * Keys typed at the countdown and the OK prompt give FreeBSD 13.2's loader's screens for the same keys; the
 * boot that follows makes the libvmmapi calls and guest memory of that boot (the oracle's events, inspect
 * --keys's memory); and the terminal is raw while in use and as it was after a boot, a quit, a failure and a
 * signal.
 */
class BhyveloadConsoleTest {
    /** bin/bhyveload on a pseudo-terminal ({@code device}: named by -c) with {@code keys} typed at "Hit [Enter]". */
    static Run pty(boolean device, String keys, String end, String signal, Map<String, String> env, List<String> args)
            throws Exception {
        return pty("Hit [Enter]", device, keys, end, signal, env, args);
    }

    /** The same, with the keys typed once the screen shows {@code waitFor}. */
    static Run pty(String waitFor, boolean device, String keys, String end, String signal, Map<String, String> env,
            List<String> args) throws Exception {
        return pty(Build.FBSD14, waitFor, device, keys, end, signal, env, args);
    }

    /** The same, with the stand-in libvmmapi {@code build}. */
    static Run pty(Build build, String waitFor, boolean device, String keys, String end, String signal,
            Map<String, String> env, List<String> args) throws Exception {
        Require.tool("python3");
        List<String> launcher = new ArrayList<>(List.of("python3",
                Paths.get("src/test/scripts/pty-run.py").toAbsolutePath().toString(), waitFor,
                keys.replace("\r", "\\r").replace("\b", "\\b"), end));
        if (signal != null) {
            launcher.add(signal);
        }
        if (device) {
            launcher.add("--device");
        }
        launcher.add("--");
        List<String> options = new ArrayList<>(device ? List.of("-c", "TTY") : List.of());
        options.addAll(args);
        BhyveloadTest.Run run = BhyveloadTest.bhyveload(build, launcher, options, env);
        assertThat(run.result().status()).as(run.result().err()).isZero();
        return new Run(new ObjectMapper().readTree(run.result().out()), run);
    }

    record Run(JsonNode pty, BhyveloadTest.Run bhyveload) {
        int status() {
            return pty.path("status").asInt();
        }

        String screen() {
            return pty.path("screen").asText();
        }
    }

    @ParameterizedTest(name = "console on -c TTY: {0}")
    @ValueSource(booleans = {false, true})
    void keysAtTheCountdownAndPromptGiveTheOraclesScreensAndTheSameBoot(boolean device) throws Exception {
        Path tree = InteractTest.tree();
        String keys = " lsdev\rset x=1\rshow x\rlsmod\rboot\r";
        Run r = pty(device, keys, "", null, Map.of(), List.of("-h", tree.toString(), "-m", "256M", "vm"));
        assertThat(r.status()).as(r.screen() + r.bhyveload().result().err()).isZero();
        assertThat(r.pty().path("raw_while_running").asBoolean()).isTrue();
        assertThat(r.pty().path("restored").asBoolean()).isTrue();

        Path keyFile = Trees.target().resolve("bhyveload-keys");
        Files.writeString(keyFile, keys, StandardCharsets.ISO_8859_1);
        JsonNode oracle = Oracle.run(List.of("-h", tree.toString(), "-k", keyFile.toString()), "256M", List.of(), null);
        assertThat(oracle.path("result").asText()).isEqualTo("exec");
        assertThat(InteractTest.screen(PtyInteractTest.withoutCountdown(r.screen())))
                .isEqualTo(InteractTest.screen(oracle.path("console").asText()));

        List<String> registerCalls = VmmapiStub.registerCalls(r.bhyveload().calls());
        assertThat(registerCalls).isEqualTo(VmmapiStub.bhyveloadCalls(VmmapiStub.oracleEvents(oracle)));
        Path dump = Trees.target().resolve("bhyveload-keys-inspect.bin");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(Main.run(new String[] {"inspect", "--keys", keyFile.toString(), "--dump-memory", dump.toString(),
            "-h", tree.toString(), "-m", "256M"}, new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(err, true))).as("inspect: %s", err).isZero();
        VmmapiStub.assertSameMemory(r.bhyveload().memory(), dump, 256L << 20);
    }

    /** The boot menu on bhyveload's terminal: Verbose on, back, the console choice, Enter. */
    @ParameterizedTest(name = "console on -c TTY: {0}")
    @ValueSource(booleans = {false, true})
    void menuGivesTheOraclesScreensAndTheSameBoot(boolean device) throws Exception {
        Path tree = MenuTest.tree("");
        String keys = " 7v\b5\r";
        Run r = pty("Autoboot in", device, keys, "", null, Map.of(), List.of("-h", tree.toString(), "-m", "256M", "vm"));
        assertThat(r.status()).as(r.screen() + r.bhyveload().result().err()).isZero();
        Path keyFile = Trees.target().resolve("bhyveload-keys");
        Files.writeString(keyFile, keys, StandardCharsets.ISO_8859_1);
        JsonNode oracle = Oracle.run(List.of("-h", tree.toString(), "-k", keyFile.toString()), "256M", List.of(), null);
        assertThat(oracle.path("result").asText()).isEqualTo("exec");
        assertThat(PtyInteractTest.menuScreen(r.screen()))
                .isEqualTo(PtyInteractTest.menuScreen(oracle.path("console").asText()));
        assertThat(VmmapiStub.registerCalls(r.bhyveload().calls()))
                .isEqualTo(VmmapiStub.bhyveloadCalls(VmmapiStub.oracleEvents(oracle)));
    }

    @Test
    void quitAtThePromptEndsAsBhyveloadsExit() throws Exception {
        Run r = pty(true, " quit\r", "", null, Map.of(), List.of("-h", InteractTest.tree().toString(), "vm"));
        assertThat(r.status()).isEqualTo(Interact.EXIT_QUIT);
        assertThat(r.screen()).endsWith("OK quit\r\n");
        assertThat(r.pty().path("restored").asBoolean()).isTrue();
        assertThat(r.bhyveload().calls()).noneMatch(c -> c.name().equals("vm_map_gpa"));
    }

    /**
     * {@code reboot} at the prompt: FreeBSD 13.2's bhyveload exits with USERBOOT_EXIT_REBOOT; 15.1's starts the
     * loader again on the VM re-initialised (vm_reinit, its memory set up again), which then boots as it
     * does when no key comes (the oracle's events, inspect's memory).
     */
    @ParameterizedTest
    @EnumSource(value = Build.class, names = {"FBSD13", "FBSD14", "FBSD15"})
    void rebootAtThePromptRestartsTheLoaderWithFreeBsd15sLibrary(Build build) throws Exception {
        Path tree = InteractTest.tree();
        Run r = pty(build, "Hit [Enter]", true, " reboot\r", "", null, Map.of(), List.of("-h", tree.toString(), "vm"));
        List<String> names = r.bhyveload().calls().stream().map(VmmapiStub.Call::name)
                .filter(n -> !n.equals("state") && !n.equals("vm_map_gpa") && !n.equals("vm_vcpu_open")).toList();
        List<String> start = List.of("vm_create", "vm_open", "vm_set_memflags", "vm_setup_memory", "vm_get_lowmem_size",
                "vm_get_highmem_size");
        if (build != Build.FBSD15) {
            assertThat(r.status()).as(r.screen()).isEqualTo(Interact.EXIT_REBOOT);
            assertThat(r.screen()).endsWith("OK reboot\r\n");
            assertThat(names).isEqualTo(start);
            assertThat(r.bhyveload().calls()).noneMatch(c -> c.name().equals("vm_map_gpa"));
            return;
        }
        assertThat(r.status()).as(r.screen() + r.bhyveload().result().err()).isZero();
        String screen = r.screen();
        assertThat(screen.substring(screen.indexOf("OK reboot"))).contains("Hit [Enter]");
        List<String> again = List.of("vm_reinit", "vm_set_memflags", "vm_setup_memory");
        assertThat(names.subList(0, start.size() + again.size()))
                .isEqualTo(java.util.stream.Stream.concat(start.stream(), again.stream()).toList());
        JsonNode oracle = Oracle.run(List.of("-h", tree.toString()), "256M", List.of(), null);
        assertThat(VmmapiStub.registerCalls(r.bhyveload().calls()))
                .isEqualTo(VmmapiStub.bhyveloadCalls(VmmapiStub.oracleEvents(oracle)));
        Path dump = Trees.target().resolve("bhyveload-reboot-inspect.bin");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(Main.run(new String[] {"inspect", "--dump-memory", dump.toString(), "-h", tree.toString(), "-m",
            "256M"}, new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true))).as("%s", err)
                .isZero();
        VmmapiStub.assertSameMemory(r.bhyveload().memory(), dump, 256L << 20);
    }

    /**
     * A pseudo-terminal as -c console: raw (cfmakeraw and CLOCAL) while the loader runs, and as it was after
     * a boot, after a failure, and after SIGTERM while booting or while waiting at the prompt.
     */
    @Test
    void theConsoleIsRawWhileInUseAndRestoredOnEveryExit() throws Exception {
        List<String> args = List.of("-h", InteractTest.tree().toString(), "vm");
        Run ok = pty(true, "\r", "", null, Map.of(), args);
        assertThat(ok.status()).as(ok.screen()).isZero();
        assertThat(ok.pty().path("restored").asBoolean()).isTrue();

        Run failed = pty(true, "\r", "", null, Map.of("VMMAPI_STUB_FAIL", "vm_set_register"), args);
        assertThat(failed.status()).isEqualTo(1);
        assertThat(failed.pty().path("restored").asBoolean()).isTrue();

        // SIGTERM as the loader boots; the stand-in libvmmapi then waits in vm_map_gpa, so it comes while in use
        Run signalled = pty(true, "\r", "Booting [", "--sigterm", Map.of("VMMAPI_STUB_STALL", "1"), args);
        assertThat(signalled.status()).isEqualTo(143);
        assertThat(signalled.pty().path("restored").asBoolean()).isTrue();
        JsonNode flags = signalled.pty().path("flags");
        JsonNode before = signalled.pty().path("modes").path("before");
        JsonNode during = signalled.pty().path("modes").path("during");
        assertThat(during.path("lflag").asInt() & (flags.path("ICANON").asInt() | flags.path("ECHO").asInt())).isZero();
        assertThat(during.path("oflag").asInt() & flags.path("OPOST").asInt()).isZero();
        assertThat(during.path("cflag").asInt() & flags.path("CLOCAL").asInt()).isNotZero();
        assertThat(before.path("lflag").asInt() & flags.path("ICANON").asInt()).isNotZero();

        Run atPrompt = pty(true, " ", "OK ", "--sigterm", Map.of(), args);
        assertThat(atPrompt.status()).as(atPrompt.screen()).isEqualTo(143);
        assertThat(atPrompt.pty().path("restored").asBoolean()).isTrue();
    }
}
