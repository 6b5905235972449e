package userboot4j.loader.menu;

import java.util.List;
import java.util.Map;
import userboot4j.loader.LoaderRelease;

/**
 * The pictures drawer.lua draws on a serial console: brands (top left) and logos (right of the menu), by
 * the names {@code loader_brand} and {@code loader_logo} take; the text of FreeBSD 13.2's gfx-*.lua files,
 * which 15.1's keep, placed with their own shifts from a new logo position.
 */
final class Graphics {
    /** A picture: its lines, how far it moves from its place, and whether it is drawn only in colour. */
    record Graphic(List<String> lines, int shiftX, int shiftY, boolean requiresColor) {
        Graphic(List<String> lines) {
            this(lines, 0, 0, false);
        }
    }

    static final String DEFAULT_BRAND = "fbsd";
    static final String DEFAULT_COLOR_LOGO = "orb";
    static final String DEFAULT_BW_LOGO = "orbbw";
    static final String FALLBACK_LOGO = "none";

    private static final List<String> FBSD_BRAND = List.of(
            "  ______               ____   _____ _____  ",
            " |  ____|             |  _ \\ / ____|  __ \\ ",
            " | |___ _ __ ___  ___ | |_) | (___ | |  | |",
            " |  ___| '__/ _ \\/ _ \\|  _ < \\___ \\| |  | |",
            " | |   | | |  __/  __/| |_) |____) | |__| |",
            " | |   | | |    |    ||     |      |      |",
            " |_|   |_|  \\___|\\___||____/|_____/|_____/ ");

    /** The empty picture; a logo that is nothing moves the brand, box and menu to the right. */
    static final List<String> NONE = List.of("");

    private static final Map<String, Graphic> BRANDS = Map.of(
        "fbsd", new Graphic(FBSD_BRAND),
        "none", new Graphic(NONE));

    private static final Map<String, Graphic> LOGOS = Map.of(
        "tribute", new Graphic(FBSD_BRAND),
        "tributebw", new Graphic(FBSD_BRAND),
        "none", new Graphic(NONE, 17, 0, false),
        "orb", new Graphic(List.of(
            "  \033[31m```                        \033[31;1m`\033[31m",
            " s` `.....---...\033[31;1m....--.```   -/\033[31m",
            " +o   .--`         \033[31;1m/y:`      +.\033[31m",
            "  yo`:.            \033[31;1m:o      `+-\033[31m",
            "   y/               \033[31;1m-/`   -o/\033[31m",
            "  .-                  \033[31;1m::/sy+:.\033[31m",
            "  /                     \033[31;1m`--  /\033[31m",
            " `:                          \033[31;1m:`\033[31m",
            " `:                          \033[31;1m:`\033[31m",
            "  /                          \033[31;1m/\033[31m",
            "  .-                        \033[31;1m-.\033[31m",
            "   --                      \033[31;1m-.\033[31m",
            "    `:`                  \033[31;1m`:`",
            "      \033[31;1m.--             `--.",
            "         .---.....----.\033[m"), 2, 3, true),
        "orbbw", new Graphic(List.of(
            "  ```                        `",
            " s` `.....---.......--.```   -/",
            " +o   .--`         /y:`      +.",
            "  yo`:.            :o      `+-",
            "   y/               -/`   -o/",
            "  .-                  ::/sy+:.",
            "  /                     `--  /",
            " `:                          :`",
            " `:                          :`",
            "  /                          /",
            "  .-                        -.",
            "   --                      -.",
            "    `:`                  `:`",
            "      .--             `--.",
            "         .---.....----."), 2, 4, false),
        "beastie", new Graphic(List.of(
            "               \033[31m,        ,",
            "              /(        )`",
            "              \\ \\___   / |",
            "              /- \033[37m_\033[31m  `-/  '",
            "             (\033[37m/\\/ \\\033[31m \\   /\\",
            "             \033[37m/ /   |\033[31m `    \\",
            "             \033[34mO O   \033[37m) \033[31m/    |",
            "             \033[37m`-^--'\033[31m`<     '",
            "            (_.)  _  )   /",
            "             `.___/`    /",
            "               `-----' /",
            "  \033[33m<----.\033[31m     __ / __   \\",
            "  \033[33m<----|====\033[31mO)))\033[33m==\033[31m) \\) /\033[33m====|",
            "  \033[33m<----'\033[31m    `--' `.__,' \\",
            "               |        |",
            "                \\       /       /\\",
            "           \033[36m______\033[31m( (_  / \\______/",
            "         \033[36m,'  ,-----'   |",
            "         `--{__________)\033[m"), 0, 0, true),
        "beastiebw", new Graphic(List.of(
            "               ,        ,",
            "              /(        )`",
            "              \\ \\___   / |",
            "              /- _  `-/  '",
            "             (/\\/ \\ \\   /\\",
            "             / /   | `    \\",
            "             O O   ) /    |",
            "             `-^--'`<     '",
            "            (_.)  _  )   /",
            "             `.___/`    /",
            "               `-----' /",
            "  <----.     __ / __   \\",
            "  <----|====O)))==) \\) /====|",
            "  <----'    `--' `.__,' \\",
            "               |        |",
            "                \\       /       /\\",
            "           ______( (_  / \\______/",
            "         ,'  ,-----'   |",
            "         `--{__________)")),
        "fbsdbw", new Graphic(List.of(
            "  ______",
            " |  ____| __ ___  ___ ",
            " | |__ | '__/ _ \\/ _ \\",
            " |  __|| | |  __/  __/",
            " | |   | | |    |    |",
            " |_|   |_|  \\___|\\___|",
            "  ____   _____ _____",
            " |  _ \\ / ____|  __ \\",
            " | |_) | (___ | |  | |",
            " |  _ < \\___ \\| |  | |",
            " | |_) |____) | |__| |",
            " |     |      |      |",
            " |____/|_____/|_____/"), 5, 4, false));

    private Graphics() {
    }

    /** The brand of that name, or null. */
    static Graphic brand(String name) {
        return name == null ? null : BRANDS.get(name);
    }

    /** 15.1's gfx-*.lua shifts (the ascii tables'), for its logo position (drawer.lua: 40, 10). */
    private static final Map<String, int[]> SHIFTS_15 = Map.of("orb", new int[] {5, -1},
        "orbbw", new int[] {2, -1}, "beastie", new int[] {2, -5}, "beastiebw", new int[] {2, -5},
        "fbsdbw", new int[] {7, -1});

    /** The logo of that name as {@code release}'s drawer places it, or null. */
    static Graphic logo(String name, LoaderRelease release) {
        Graphic g = name == null ? null : LOGOS.get(name);
        if (g == null || !release.drawsMenuOf15()) {
            return g;
        }
        int[] shift = SHIFTS_15.getOrDefault(name, new int[] {g.shiftX(), g.shiftY()});
        return new Graphic(g.lines(), shift[0], shift[1], g.requiresColor());
    }
}
