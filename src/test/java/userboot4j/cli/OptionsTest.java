package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import userboot4j.BootException;
import userboot4j.Sysexits;

/** The command-line parser the commands share: the forms of options and operands, and its refusals. */
class OptionsTest {
    private final List<String> disks = new ArrayList<>();
    private final List<String> operands = new ArrayList<>();
    private String keys;
    private boolean json;

    private Options options() {
        return new Options("inspect", "a test command.")
                .value("-d", "IMAGE", "a disk", disks::add)
                .value("--keys", "FILE", "keys", v -> keys = v)
                .flag("--json", "JSON", () -> json = true)
                .operand("FIRST", true, operands::add)
                .operand("SECOND", false, operands::add);
    }

    @Test
    void valuesSeparateAttachedAndAfterAnEqualsSign() throws Exception {
        assertThat(options().parse(List.of("-d", "a.img", "-db.img", "--keys=k", "--json", "x", "-d=c.img"))).isTrue();
        assertThat(disks).containsExactly("a.img", "b.img", "c.img");
        assertThat(keys).isEqualTo("k");
        assertThat(json).isTrue();
        assertThat(operands).containsExactly("x");
    }

    @Test
    void operandsAfterDoubleDashMayStartWithADash() throws Exception {
        assertThat(options().parse(List.of("--keys", "--json", "--", "-first", "--json"))).isTrue();
        assertThat(keys).isEqualTo("--json"); // a value is the next argument, whatever it looks like
        assertThat(json).isFalse();
        assertThat(operands).containsExactly("-first", "--json");
    }

    @Test
    void helpAsksForTheUsageEvenWithoutTheRequiredOperand() throws Exception {
        assertThat(options().parse(List.of("--help"))).isFalse();
        assertThat(options().usage()).isEqualTo("""
                Usage: userboot4j inspect [OPTIONS] FIRST [SECOND]
                a test command.
                  -d IMAGE            a disk
                  --keys FILE         keys
                  --json              JSON
                  --debug             print stack traces on errors
                  --help              show this help
                """);
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> options().parse(List.of("-x", "a"))).isInstanceOf(BootException.Usage.class)
                .hasMessage("unknown option '-x'");
        assertThatThrownBy(() -> options().parse(List.of("--jsonx", "a"))).hasMessage("unknown option '--jsonx'");
        assertThatThrownBy(() -> options().parse(List.of("a", "-d"))).hasMessage("option '-d' needs a value (IMAGE)");
        assertThatThrownBy(() -> options().parse(List.of("a", "b", "c"))).hasMessage("unexpected argument 'c'");
        assertThatThrownBy(() -> options().parse(List.of("--json"))).hasMessage("missing FIRST");
    }

    /** Through Main: a parse error prints the command's usage and ends in EX_USAGE; --help ends in 0. */
    @Test
    void mainReportsParseErrorsWithTheUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(Main.run(new String[] {"ls", "-q"}, new PrintStream(out, true), new PrintStream(err, true)))
                .isEqualTo(Sysexits.EX_USAGE);
        assertThat(err.toString()).startsWith("userboot4j: unknown option '-q'\nUsage: userboot4j ls [OPTIONS] [[DEVICE:]PATH]\n");
        assertThat(out.toString()).isEmpty();
        err.reset();
        assertThat(Main.run(new String[] {"kldxref", "--help"}, new PrintStream(out, true), new PrintStream(err, true)))
                .isZero();
        assertThat(out.toString()).startsWith("Usage: userboot4j kldxref [OPTIONS] PATH ...\n");
        assertThat(err.toString()).isEmpty();
        out.reset();
        assertThat(Main.run(new String[] {"frobnicate"}, new PrintStream(out, true), new PrintStream(err, true)))
                .isEqualTo(Sysexits.EX_USAGE);
        assertThat(err.toString()).startsWith("userboot4j: unknown command 'frobnicate'\nUsage: userboot4j COMMAND");
    }
}
