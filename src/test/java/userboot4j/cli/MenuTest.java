package userboot4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import userboot4j.testsupport.Oracle;
import userboot4j.testsupport.Trees;
import userboot4j.testsupport.ZfsFixtures;

/**
 * The boot menu (no beastie_disable) against FreeBSD 13.2's own, fed the same keys: every main-menu entry,
 * the Boot Options toggles, the kernel chooser, the console choice; the screens from the menu's first
 * drawing on are the same text, and the boots that follow agree in every compare.py check.
 */
class MenuTest {
    /** The last configuration file read; the menu comes after it. */
    private static final String FROM = "Loading /boot/loader.conf.local";
    private static final String CONF = "probe_a_load=\"YES\"\nautoboot_delay=\"3\"\n";

    static Path tree(String extraConf) throws Exception {
        return tree(Oracle.Release.FREEBSD_13_2, extraConf);
    }

    /** The probe tree with {@code release}'s scripts and defaults, probe_a to load and a countdown of 3 s. */
    static Path tree(Oracle.Release release, String extraConf) throws Exception {
        Path t = Oracle.bootable(release, Trees.probe(), "menu");
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
            Arguments.of("chain_disk=\"disk0\"\n", " l\r"), // ChainLoad: userboot has no chain command
            Arguments.of("chain_disk=\"disk0\"\n", " 8\r"),
            Arguments.of("", " 1"));
    }

    @ParameterizedTest
    @MethodSource("mainMenu")
    void mainMenuAsFreeBsdsLoader(String conf, String keys) throws Exception {
        InteractTest.sameAsFreeBsd(List.of("-h", tree(conf).toString()), keys, FROM);
    }

    /**
     * The same keys at FreeBSD 15.1's loader with 15.1's scripts: its layout (the Kernel: heading), its
     * countdown, and the acpi module its core.lua asks for, which Lua's order places among the others.
     */
    @ParameterizedTest
    @MethodSource("mainMenu")
    void mainMenuAsFreeBsd15sLoader(String conf, String keys) throws Exception {
        InteractTest.sameAsFreeBsd(Oracle.Release.FREEBSD_15_1,
                List.of("-h", tree(Oracle.Release.FREEBSD_15_1, conf).toString()), List.of(), keys, FROM, true,
                java.util.function.UnaryOperator.identity());
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
        InteractTest.sameAsFreeBsd(List.of("-h", tree("").toString()), keys, FROM);
    }

    /** Boot Options of 15.1, with its ACPI toggle ("a") and its safe mode's boot_safe. */
    @ParameterizedTest
    @MethodSource("bootOptions")
    @ValueSource(strings = {" 7a\b\r", " 7aa\b\r", " 7ad\b\r", " 7am\b3show boot_safe\rshow hint.acpi.0.disabled\rboot\r"})
    void bootOptionsAsFreeBsd15sLoader(String keys) throws Exception {
        InteractTest.sameAsFreeBsd(Oracle.Release.FREEBSD_15_1,
                List.of("-h", tree(Oracle.Release.FREEBSD_15_1, "").toString()), List.of(), keys, FROM, true,
                java.util.function.UnaryOperator.identity());
    }

    /** A tree with /boot/kernel.old (a copy of the kernel and its modules) and kernels_autodetect on. */
    static Path withOldKernel(String extraConf) throws Exception {
        return withOldKernel(Oracle.Release.FREEBSD_13_2, extraConf);
    }

    static Path withOldKernel(Oracle.Release release, String extraConf) throws Exception {
        Path t = tree(release, "kernels_autodetect=\"YES\"\n" + extraConf);
        Path old = t.resolve("boot/kernel.old");
        Files.createDirectories(old);
        try (Stream<Path> s = Files.list(t.resolve("boot/kernel"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, old.resolve(p.getFileName()));
            }
        }
        return t;
    }

    static Stream<Arguments> kernels() {
        return Stream.of(
            Arguments.of("", " 6\r"), // kernel.old
            Arguments.of("", " 6k\r"), // round to the default
            Arguments.of("", " 6k"), // drawn
            Arguments.of("kernels=\"kernel.old;kernel,kernel.old\"\n", " 6\r"), // the list, each once
            Arguments.of("", " 63boot\r"), // chosen, then booted from the prompt
            Arguments.of("", " 6\033unload\rboot\r"),
            // a kernel that is not there: the boot fails, the menu is left for the prompt
            Arguments.of("kernels=\"kernel nokernel\"\n", " 6\r"),
            Arguments.of("kernels=\"kernel nokernel\"\n", " 6\rboot\rboot kernel\r"),
            Arguments.of("kernels=\"kernel nokernel\"\n", " 61"), // from an entry: the menu is drawn again
            Arguments.of("kernel=\"nokernel\"\nbeastie_disable=\"YES\"\n", "boot kernel\r"));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void kernelChooserAsFreeBsdsLoader(String conf, String keys) throws Exception {
        InteractTest.sameAsFreeBsd(List.of("-h", withOldKernel(conf).toString()), keys, FROM);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void kernelChooserAsFreeBsd15sLoader(String conf, String keys) throws Exception {
        as15(withOldKernel(Oracle.Release.FREEBSD_15_1, conf), keys, FROM);
    }

    /** FreeBSD 15.1's loader and inspect --keys on {@code tree} (15.1's scripts), modules compared as a set. */
    private static void as15(Path tree, String keys, String from) throws Exception {
        InteractTest.sameAsFreeBsd(Oracle.Release.FREEBSD_15_1, List.of("-h", tree.toString()), List.of(), keys, from,
                true, java.util.function.UnaryOperator.identity());
    }

    static Stream<Arguments> looks() {
        return Stream.of(
            "loader_color=\"NO\"\n", "loader_color=\"0\"\nloader_logo=\"orb\"\n", "loader_logo=\"beastie\"\n",
            "loader_logo=\"beastiebw\"\n", "loader_logo=\"fbsdbw\"\n", "loader_logo=\"orbbw\"\n",
            "loader_logo=\"tribute\"\n", "loader_logo=\"none\"\n", "loader_logo=\"bogus\"\n",
            "loader_brand=\"none\"\n", "loader_brand=\"bogus\"\n", "loader_brand=\"orb\"\n",
            "loader_logo_x=\"10\"\nloader_logo_y=\"0x2\"\nloader_brand_x=\"x\"\n",
            "loader_menu_title=\"Hello\"\nloader_menu_title_align=\"left\"\n",
            "loader_menu_title=\"\"\nloader_menu_title_align=\"RIGHT\"\n",
            "loader_menu_frame=\"single\"\n", "loader_menu_frame=\"double\"\n", "loader_menu_frame=\"none\"\n",
            "loader_menu_multi_user_prompt=\"Many\"\n", "loader_menu_timeout_x=\"1\"\nloader_menu_timeout_y=\"2\"\n",
            "menu_timeout_command=\"boot -v\"\n", "autoboot_delay=\"-1\"\n", "autoboot_delay=\"NO\"\n",
            "autoboot_delay=\"junk\"\n", "console=\"userboot userboot\"\n")
            .map(c -> Arguments.of(c, c.startsWith("menu_timeout") || c.contains("\"NO\"\n") && c.startsWith("auto")
                    ? "" : " 7\b\r"));
    }

    /** loader_logo, loader_brand, loader_menu_*, loader_color and the countdown's variables. */
    @ParameterizedTest
    @MethodSource("looks")
    void variablesAsFreeBsdsLoader(String conf, String keys) throws Exception {
        InteractTest.sameAsFreeBsd(List.of("-h", tree(conf).toString()), keys, FROM);
    }

    @ParameterizedTest
    @MethodSource("looks")
    void variablesAsFreeBsd15sLoader(String conf, String keys) throws Exception {
        as15(tree(Oracle.Release.FREEBSD_15_1, conf), keys, FROM);
    }

    /** 15's loader_menu="none": the pictures and the countdown without the box and its entries. */
    @ParameterizedTest
    @ValueSource(strings = {"\r", ""})
    void noMenuAsFreeBsd15sLoader(String keys) throws Exception {
        as15(tree(Oracle.Release.FREEBSD_15_1, "loader_menu=\"none\"\n"), keys, FROM);
    }

    /**
     * The bootable pool fbzmodern (two boot environments): the main menu's Boot Environments entry, the
     * chooser drawn and left; ROOT/alt chosen (its own loader.conf and modules), back to the default by the
     * carousel and by bootfs, and the prompt after a switch.
     */
    @ParameterizedTest
    @ValueSource(strings = {" \r", " 8", " 8\b\r", " e\b7\b1", " 82\b\r", " 82", " 822\b\r", " 8ab\b\r",
        " 82\b3show vfs.root.mountfrom\rshow currdev\rboot\r", " 82\b6"})
    void bootEnvironmentsAsFreeBsdsLoader(String keys) throws Exception {
        List<String> devices = new ArrayList<>();
        for (Path d : ZfsFixtures.fbzmodern()) {
            devices.addAll(List.of("-d", d.toString()));
        }
        InteractTest.sameAsFreeBsd(devices, keys, "\u001bc", true);
    }

    /** FreeBSD 13.2's GENERIC tree as it comes (its loader.conf, its modules) with the menu. */
    @ParameterizedTest
    @ValueSource(strings = {"\r", " 2", " 7v\b1", " 56\r"})
    void genericAsFreeBsdsLoader(String keys) throws Exception {
        Path t = Oracle.bootable(Trees.generic(), "menu-generic");
        InteractTest.sameAsFreeBsd(List.of("-h", t.toString()), keys, FROM, true);
    }

    /** FreeBSD 15.1's GENERIC tree as it comes with the menu of 15.1's loader. */
    @ParameterizedTest
    @ValueSource(strings = {"\r", " 2", " 7v\b1", " 56\r", " 7a\b1"})
    void generic15AsFreeBsd15sLoader(String keys) throws Exception {
        as15(Oracle.bootable(Oracle.Release.FREEBSD_15_1, Trees.generic15(), "menu-generic15"), keys, FROM);
    }

    /** A pool of five boot environments (zfs-fuse): the chooser steps through them all and boots the one shown. */
    @ParameterizedTest
    @ValueSource(strings = {" 8", " 82222\b\r", " 822222\b\r", " 8222b\b\r"})
    void manyBootEnvironmentsAsFreeBsdsLoader(String keys) throws Exception {
        InteractTest.sameAsFreeBsd(bootEnvironmentPool(Oracle.Release.FREEBSD_13_2), keys, "\u001bc");
    }

    /** The same pool, its boot environments holding 15.1's scripts, at 15.1's loader. */
    @ParameterizedTest
    @ValueSource(strings = {" 8", " 82222\b\r", " 8222b\b\r", " 82\b3show currdev\rboot\r"})
    void manyBootEnvironmentsAsFreeBsd15sLoader(String keys) throws Exception {
        InteractTest.sameAsFreeBsd(Oracle.Release.FREEBSD_15_1, bootEnvironmentPool(Oracle.Release.FREEBSD_15_1),
                List.of(), keys, "\u001bc", true, java.util.function.UnaryOperator.identity());
    }

    /** A zfs-fuse pool of five boot environments (be2 its bootfs), each the probe tree with {@code release}'s scripts. */
    private static List<String> bootEnvironmentPool(Oracle.Release release) throws Exception {
        Path tree = tree(release, "");
        Map<String, String> bes = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            bes.put("be" + i, tree.toString());
        }
        List<String> devices = new ArrayList<>();
        String pool = release == Oracle.Release.FREEBSD_13_2 ? "ubzmenu" : "ubzmenu15";
        for (Path d : ZfsFixtures.fusePool(pool, "", 1, "be2", bes)) {
            devices.addAll(List.of("-d", d.toString()));
        }
        return devices;
    }
}
