package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import userboot4j.testsupport.Oracle;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Screens;
import userboot4j.testsupport.Trees;

/**
 * The loader's countdown and prompt against FreeBSD 13.2's own, fed the same keys (the oracle's -k,
 * our inspect --keys): the screens from the countdown on are the same once the spinner is taken out, the
 * boots that follow agree in every compare.py check, and quit and running out of keys end alike.
 */
class InteractTest {
    static Path tree() throws Exception {
        return tree(Oracle.Release.FREEBSD_13_2);
    }

    /** The probe tree with {@code release}'s scripts, no menu, a countdown of three seconds. */
    static Path tree(Oracle.Release release) throws Exception {
        Path t = Oracle.bootable(release, Trees.probe(), "interact");
        Trees.delete(t.resolve("i386"));
        Files.writeString(t.resolve("boot/loader.conf"),
                "probe_a_load=\"YES\"\nbeastie_disable=\"YES\"\nautoboot_delay=\"3\"\n");
        return t;
    }

    private static String inOrder(String screen, boolean luaOrder) {
        int at = screen.indexOf("Loading configured modules...");
        if (!luaOrder || at < 0) {
            return screen;
        }
        return screen.substring(0, at) + screen.substring(at).lines().sorted().toList();
    }

    /** The screen from the countdown on, as text. */
    static String screen(String console) {
        return screen(console, "Hit [Enter]");
    }

    /** The screen from the first {@code from} on, as text. */
    static String screen(String console, String from) {
        int at = console.indexOf(from);
        assertThat(at).as(console).isNotNegative();
        return Screens.text(console.substring(at));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "xlsmod\rset x=1\rshow x\rlsmod -v\runload\rlsmod\rload probe_solo\rlsmod\rboot\r",
        "xset x=1\rshow x\rshow nope\rmore /boot/loader.conf\rls /boot/kernel\runload\rlsmod\rload probe_solo\r"
            + "load -t md_image /boot/device.hints\rlsmod\recho -n a  b\recho c\rset\runset nope\rfrob\rboot -s\r",
        "\r",
        "xbox\b\b\bboot\r",
        "xquit\r",
        "xlsmod\r",
        "xload probe_a\rload probe_a\rload /boot/kernel/probe_a.ko\rboot\r"})
    void sameScreensAsFreeBsdsLoader(String keys) throws Exception {
        sameAsFreeBsd(List.of("-h", tree().toString()), keys, "Hit [Enter]");
    }

    /** The same keys at FreeBSD 15.1's loader, the guest holding 15.1's scripts. */
    @ParameterizedTest
    @ValueSource(strings = {
        "xlsmod\rset x=1\rshow x\rlsmod -v\runload\rlsmod\rload probe_solo\rlsmod\rboot\r",
        "\r",
        "xquit\r",
        "xshow hint.acpi.0.disabled\rshow probe_a_load\rboot\r",
        "xload probe_a\rload probe_a\rload /boot/kernel/probe_a.ko\rboot\r"})
    void sameScreensAsFreeBsd15sLoader(String keys) throws Exception {
        sameAsFreeBsd(Oracle.Release.FREEBSD_15_1, List.of("-h", tree(Oracle.Release.FREEBSD_15_1).toString()),
                List.of(), keys, "Hit [Enter]", false, UnaryOperator.identity());
    }

    /**
     * FreeBSD's loader and inspect --keys on {@code devices} (-h DIR, -d IMAGE…) with {@code keys}: the same screens from
     * {@code from} on, and the same end — the same boot in every compare.py check, or the same exit status.
     */
    static void sameAsFreeBsd(List<String> devices, String keys, String from) throws Exception {
        sameAsFreeBsd(devices, List.of(), keys, from, false, UnaryOperator.identity());
    }

    /**
     * The same, where {@code luaOrder}: several independent modules load, in Lua's hash order for FreeBSD's
     * loader, so the lines from "Loading configured modules..." on are compared as a set, and so are the files.
     */
    static void sameAsFreeBsd(List<String> devices, String keys, String from, boolean luaOrder) throws Exception {
        sameAsFreeBsd(devices, List.of(), keys, from, luaOrder, UnaryOperator.identity());
    }

    /**
     * The same with {@code env} given to both as -e strings, and {@code filter} applied to both screens (lines
     * whose place depends on Lua's hash order taken out).
     */
    static void sameAsFreeBsd(List<String> devices, List<String> env, String keys, String from, boolean luaOrder,
            UnaryOperator<String> filter) throws Exception {
        sameAsFreeBsd(Oracle.Release.FREEBSD_13_2, devices, env, keys, from, luaOrder, filter);
    }

    /** The same against {@code release}'s loader, which the guest's scripts must come from. */
    static void sameAsFreeBsd(Oracle.Release release, List<String> devices, List<String> env, String keys, String from,
            boolean luaOrder, UnaryOperator<String> filter) throws Exception {
        Path keyFile = Trees.target().resolve("interact-keys");
        Files.writeString(keyFile, keys, StandardCharsets.ISO_8859_1);
        List<String> oracleArgs = new ArrayList<>(devices);
        oracleArgs.addAll(List.of("-k", keyFile.toString()));
        JsonNode oracle = Oracle.run(release, oracleArgs, "256M", env, null);
        Path report = Trees.target().resolve("interact-oracle.json");
        new ObjectMapper().writeValue(report.toFile(), oracle);

        List<String> args = new ArrayList<>(List.of("inspect", "--json", "--keys", keyFile.toString(), "-m", "256M"));
        env.forEach(e -> args.addAll(List.of("-e", e)));
        args.addAll(devices);
        ProbeBootTest.Run ours = ProbeBootTest.run(args.toArray(String[]::new));
        // the oracle's console has a char per byte; ours is decoded as UTF-8
        String theirs = new String(oracle.path("console").asText().getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.UTF_8);
        assertThat(inOrder(filter.apply(screen(ours.err().replaceAll("userboot4j: [^\n]*\n$", ""), from)), luaOrder))
                .isEqualTo(inOrder(filter.apply(screen(theirs, from)), luaOrder));
        switch (oracle.path("result").asText()) {
            case "exec" -> {
                assertThat(ours.status()).as(ours.err()).isZero();
                Path oursJson = Trees.target().resolve("interact-ours.json");
                Files.writeString(oursJson, ours.out(), StandardCharsets.ISO_8859_1);
                List<String> compare = new ArrayList<>(List.of("python3", Oracle.dir().resolve("compare.py").toString(),
                        oursJson.toString(), report.toString()));
                if (luaOrder) {
                    compare.add("--any-order");
                }
                Processes.Result r = Processes.exec(compare, null);
                assertThat(r.out()).endsWith(" 0 differ\n");
            }
            case "exit" -> assertThat(ours.status()).isEqualTo(oracle.path("exit_code").asInt());
            case "input_exhausted" -> assertThat(ours.status()).isEqualTo(3);
            default -> throw new AssertionError("oracle: " + oracle.path("result").asText());
        }
    }
}
