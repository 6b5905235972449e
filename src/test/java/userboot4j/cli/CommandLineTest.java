package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import userboot4j.Sysexits;
import userboot4j.testsupport.Trees;

/**
 * userboot4j's command line as picocli parses it: the forms of options and operands, {@code --version},
 * {@code help}, and the one line and EX_USAGE that every usage error gets, followed by the command's usage.
 */
class CommandLineTest {
    record Run(int status, String out, String err) {
    }

    static Run main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    /** The same listing whichever way -h takes its value, and with -- before the operand. */
    @Test
    void valuesSeparateAttachedAndAfterAnEqualsSign() throws Exception {
        String tree = Trees.probe().toString();
        Run plain = main("ls", "-h", tree, "/boot/kernel");
        assertThat(plain.status()).as(plain.err()).isZero();
        assertThat(plain.out()).contains("probe_a.ko\n");
        for (List<String> args : List.of(List.of("ls", "-h" + tree, "/boot/kernel"), List.of("ls", "-h=" + tree,
                "/boot/kernel"), List.of("ls", "/boot/kernel", "-h", tree), List.of("ls", "--debug", "-h", tree, "--",
                "/boot/kernel"))) {
            assertThat(main(args.toArray(String[]::new))).as(args.toString()).isEqualTo(plain);
        }
    }

    /** A value is the next word whatever it looks like; a repeated option is taken each time. */
    @Test
    void aValueMayLookLikeAnOption() throws Exception {
        Run r = main("inspect", "-h", Trees.probe().toString(), "--keys", "--json");
        assertThat(r.status()).isEqualTo(Sysexits.EX_NOINPUT);
        assertThat(r.err()).isEqualTo("userboot4j: --json: cannot read the keys: --json\n");
        Run twice = main("ls", "-h", "/nonexistent", "-h", Trees.probe().toString(), "/boot/kernel");
        assertThat(twice.status()).as(twice.err()).isZero(); // the last -h counts
    }

    /** The first line names the version in pom.xml; the second the FreeBSD release whose loader this is. */
    @Test
    void versionIsTheProjectsAndNamesTheFreeBsdLoader() throws Exception {
        String version = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile())
                .getDocumentElement().getElementsByTagName("version").item(0).getTextContent();
        Run r = main("--version");
        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines().toList()).hasSize(2).first().isEqualTo("userboot4j " + version);
        assertThat(r.out().lines().toList().get(1)).contains("FreeBSD 13.2", "bhyveload", "userboot.so");
    }

    /** help COMMAND prints what COMMAND --help prints, on stdout; help alone, what --help prints. */
    @Test
    void helpShowsACommandsUsage() {
        Run help = main("help", "inspect");
        assertThat(help.status()).isZero();
        assertThat(help.err()).isEmpty();
        assertThat(help.out()).startsWith("Usage: userboot4j inspect [OPTIONS]\n").containsPattern("\n  -d +IMAGE ")
                .contains("\n      --json ", "\n      --dump-memory FILE ", "\n      --help ");
        assertThat(main("inspect", "--help")).isEqualTo(help);
        Run top = main("help");
        assertThat(top).isEqualTo(main("--help"));
        assertThat(top.out()).startsWith("Usage: userboot4j COMMAND").contains("\n  inspect ", "\n  kldxref ",
                "\n  help ", "bhyveload");
        Run bhyveload = main("help", "bhyveload");
        assertThat(bhyveload.status()).isZero();
        assertThat(bhyveload.out()).startsWith("usage: userboot4j bhyveload [-S][-c <console-device>]");
    }

    /** Every option the README's synopses give a command is in that command's usage. */
    @Test
    void usageHasEveryOptionOfTheReadme() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("\\nbin/userboot4j (\\w+)(.*(?:\\n {20,}.*)*)").matcher(readme);
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            String usage = main("help", m.group(1)).out();
            Matcher option = Pattern.compile("(?<![\\w-])(--?[a-z][a-z-]*)").matcher(m.group(2));
            while (option.find()) {
                assertThat(usage).as(m.group(1)).containsPattern("\\n {2,}(" + Pattern.quote(option.group(1)) + ")[ \\n]");
            }
            seen.add(m.group(1));
        }
        assertThat(seen).containsExactlyInAnyOrder("inspect", "run", "lsdev", "ls", "cat", "kldxref", "help");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ls -q                      | unknown option '-q'                                     | ls [OPTIONS] [[DEVICE:]PATH]",
        "inspect --jsonx            | unknown option '--jsonx'                                | inspect [OPTIONS]",
        "ls a -d                    | option '-d' needs a value (IMAGE)                       | ls",
        "ls a b                     | unexpected argument 'b'                                 | ls",
        "cat -h /                   | missing [DEVICE:]PATH                                   | cat [OPTIONS] [DEVICE:]PATH",
        "kldxref                    | missing PATH                                            | kldxref [OPTIONS] PATH...",
        "run --timeout 0            | invalid --timeout '0' (whole seconds, at least 1)       | run",
        "run --vmm bhyve            | invalid --vmm 'bhyve' (qemu, kvm or auto)               | run",
        "frobnicate                 | unknown command 'frobnicate'                            | COMMAND",
        "--debug inspect            | unknown command '--debug'                               | COMMAND",
        "help frobnicate            | unknown command 'frobnicate'                            | COMMAND",
    })
    void usageErrorsGetOneLineTheUsageAndExUsage(String args, String message, String usage) {
        Run r = main(args.split(" "));
        assertThat(r.status()).isEqualTo(Sysexits.EX_USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("userboot4j: " + message + "\nUsage: userboot4j " + usage);
    }

    @Test
    void noCommandIsAUsageError() {
        Run r = main();
        assertThat(r.status()).isEqualTo(Sysexits.EX_USAGE);
        assertThat(r.err()).isEqualTo("userboot4j: a command is required\n" + main("--help").out());
    }

    /** A control character in an unknown command is shown, not sent to the terminal. */
    @Test
    void unknownCommandIsPrintable() {
        assertThat(main("\u001b[2J").err()).startsWith("userboot4j: unknown command '\\x1b[2J'\n");
    }
}
