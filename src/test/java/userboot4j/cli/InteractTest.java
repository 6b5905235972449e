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
import userboot4j.testsupport.Trees;

/**
 * The loader's countdown and prompt against FreeBSD 13.2's own, fed the same keys (the oracle's -k,
 * our inspect --keys): the screens from the countdown on are the same once the spinner is taken out, the
 * boots that follow agree in every compare.py check, and quit and running out of keys end alike.
 */
class InteractTest {
    static Path tree() throws Exception {
        Path t = Oracle.bootable(Trees.probe(), "interact");
        Trees.delete(t.resolve("i386"));
        Files.writeString(t.resolve("boot/loader.conf"),
                "probe_a_load=\"YES\"\nbeastie_disable=\"YES\"\nautoboot_delay=\"3\"\n");
        return t;
    }

    /** The screen from the countdown on: spinner steps (a character and a backspace) and escapes removed. */
    static String screen(String console) {
        int at = console.indexOf("Hit [Enter]");
        assertThat(at).as(console).isNotNegative();
        return console.substring(at).replaceAll("\u001b\\[[0-9;?]*[A-Za-z]|\u001bc", "").replaceAll("[-\\\\|/]\u0008", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "xlsmod\rset x=1\rshow x\rlsmod -v\runload\rlsmod\rload probe_solo\rlsmod\rboot\r",
        "xset x=1\rshow x\rshow nope\rmore /boot/loader.conf\rls /boot/kernel\runload\rlsmod\rload probe_solo\r"
            + "load -t md_image /boot/device.hints\rlsmod\recho -n a  b\recho c\rset\runset nope\rfrob\rboot -s\r",
        "\r",
        "xbox\b\b\bboot\r",
        "xquit\r",
        "xlsmod\r"})
    void sameScreensAsFreeBsdsLoader(String keys) throws Exception {
        assertSameAsOracle(List.of("-h", tree().toString()), List.of(), keys, InteractTest::screen);
    }

    /**
     * FreeBSD's loader (the oracle with -k) and inspect --keys, given the same devices, -e strings and keys:
     * the same {@code screen} of their consoles, and after a boot every compare.py check agrees; quit and
     * running out of keys end alike.
     */
    static void assertSameAsOracle(List<String> devices, List<String> env, String keys, UnaryOperator<String> screen)
            throws Exception {
        Path keyFile = Trees.target().resolve("interact-keys");
        Files.writeString(keyFile, keys, StandardCharsets.ISO_8859_1);
        List<String> harness = new ArrayList<>(devices);
        harness.addAll(List.of("-k", keyFile.toString()));
        JsonNode oracle = Oracle.run(harness, "256M", env, null);
        Path report = Trees.target().resolve("interact-oracle.json");
        new ObjectMapper().writeValue(report.toFile(), oracle);

        List<String> args = new ArrayList<>(List.of("inspect", "--json", "--keys", keyFile.toString(), "-m", "256M"));
        env.forEach(e -> args.addAll(List.of("-e", e)));
        args.addAll(devices);
        ProbeBootTest.Run ours = ProbeBootTest.run(args.toArray(String[]::new));
        assertThat(screen.apply(ours.err().replaceAll("userboot4j: [^\n]*\n$", "")))
                .isEqualTo(screen.apply(oracle.path("console").asText()));
        switch (oracle.path("result").asText()) {
            case "exec" -> {
                assertThat(ours.status()).as(ours.err()).isZero();
                Path oursJson = Trees.target().resolve("interact-ours.json");
                Files.writeString(oursJson, ours.out(), StandardCharsets.ISO_8859_1);
                Processes.Result r = Processes.exec(List.of("python3", Oracle.dir().resolve("compare.py").toString(),
                        oursJson.toString(), report.toString()), null);
                assertThat(r.out()).endsWith(" 0 differ\n");
            }
            case "exit" -> assertThat(ours.status()).isEqualTo(oracle.path("exit_code").asInt());
            case "input_exhausted" -> assertThat(ours.status()).isEqualTo(3);
            default -> throw new AssertionError("oracle: " + oracle.path("result").asText());
        }
    }
}
