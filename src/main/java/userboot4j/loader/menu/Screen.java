package userboot4j.loader.menu;

import userboot4j.loader.Interact;

/** screen.lua: the cursor moves the menu is drawn with, on a terminal that understands ANSI escapes. */
final class Screen {
    /** Where the cursor is parked between drawings: below the 24 lines the menu uses. */
    private static final int DEFAULT_Y = 25;

    private final Interact.Console console;
    /** screen.default_x: 0 in 13, the first column (1) from 15 on. */
    private final int defaultX;

    Screen(Interact.Console console, int defaultX) {
        this.console = console;
        this.defaultX = defaultX;
    }

    void clear() {
        console.print(Color.CSI + "H" + Color.CSI + "J");
    }

    void setCursor(int x, int y) {
        setCursor(String.valueOf(x), String.valueOf(y));
    }

    /** A position from a variable, used as it is written, as screen.lua does. */
    void setCursor(String x, String y) {
        console.print(Color.CSI + y + ";" + x + "H");
    }

    void defCursor() {
        setCursor(defaultX, DEFAULT_Y);
    }

    /** Lua's printc: the text as it is. */
    void printc(String s) {
        console.print(s);
    }

    /** Lua's print: the text and a newline. */
    void println(String s) {
        console.print(s + "\n");
    }
}
