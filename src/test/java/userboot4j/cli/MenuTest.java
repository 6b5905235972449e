package userboot4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import userboot4j.testsupport.Oracle;
import userboot4j.testsupport.Trees;

/**
 * The boot menu (no beastie_disable) against FreeBSD 13.2's own, fed the same keys: every main-menu entry,
 * the Boot Options toggles, the kernel chooser, the console choice; the screens from the menu's first
 * drawing on are the same text, and the boots that follow agree in every compare.py check.
 */
class MenuTest {
    /** ESC c, which both loaders print before the menu. */
    private static final String FROM = "\u001bc";
    private static final String CONF = "probe_a_load=\"YES\"\nautoboot_delay=\"3\"\n";

    static Path tree(String extraConf) throws Exception {
        Path t = Oracle.bootable(Trees.probe(), "menu");
        Trees.delete(t.resolve("i386"));
        Files.writeString(t.resolve("boot/loader.conf"), CONF + extraConf);
        return t;
    }

    static Stream<Arguments> mainMenu() {
        return Stream.of(
            Arguments.of("", "\r"), // Enter during the countdown
            Arguments.of("", ""), // the countdown runs out
            Arguments.of("", " \r"), // paused, then Enter
            Arguments.of("", " x1"), // an unknown key, then 1. Boot Multi user
            Arguments.of("", " 2"), // Boot Single user
            Arguments.of("", " s"),
            Arguments.of("", " 3lsmod\rboot\r"), // Escape to loader prompt
            Arguments.of("", " \033show autoboot_delay\r"),
            Arguments.of("", " 4"), // Reboot
            Arguments.of("", " 5\r"), // Cons: Video
            Arguments.of("", " 5555c\r"), // through Dual (Serial primary), Dual (Video primary), back to Serial
            Arguments.of("", " 6\r"), // one kernel: stays
            Arguments.of("boot_single=\"YES\"\n", " \r"), // single user first
            Arguments.of("boot_single=\"YES\"\n", " 2"),
            Arguments.of("", " 1"));
    }

    @ParameterizedTest
    @MethodSource("mainMenu")
    void mainMenuAsFreeBsdsLoader(String conf, String keys) throws Exception {
        InteractTest.sameAsFreeBsd(tree(conf), keys, FROM);
    }

    static Stream<Arguments> bootOptions() {
        return Stream.of(
            Arguments.of(" 7"), // drawn
            Arguments.of(" 7\b\r"), // and left
            Arguments.of(" 71\r"), // Back by its number
            Arguments.of(" 7m\b\r"), // Safe Mode on
            Arguments.of(" 7mm\b\r"), // and off
            Arguments.of(" 7s\b\r"), // Single user on: the main menu changes
            Arguments.of(" 7v\r"), // Verbose on, Enter boots from the submenu
            Arguments.of(" 7msvd\b\r"), // all on, then Load System Defaults
            Arguments.of(" 73452\177\r")); // by numbers; DEL leaves too
    }

    @ParameterizedTest
    @MethodSource("bootOptions")
    void bootOptionsAsFreeBsdsLoader(String keys) throws Exception {
        InteractTest.sameAsFreeBsd(tree(""), keys, FROM);
    }
}
