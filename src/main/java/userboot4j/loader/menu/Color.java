package userboot4j.loader.menu;

import userboot4j.loader.Environment;

/** color.lua: the ANSI colour escapes of the menu, all empty when {@code loader_color} is NO or 0. */
public final class Color {
    static final int RED = 1;
    static final int GREEN = 2;
    static final int BLUE = 4;
    static final int CYAN = 6;
    static final int DEFAULT = 9;
    /** ESC c (core.lua's KEYSTR_RESET): loader.lua prints it once the configuration is read, when colour is on. */
    public static final String RESET = "\033c";
    static final String CSI = "\033[";

    private final Environment env;

    Color(Environment env) {
        this.env = env;
    }

    /** color.isEnabled: read each time, as the variable can change while the loader runs. */
    public static boolean enabled(Environment env) {
        String c = env.get("loader_color");
        return c == null || !(c.equalsIgnoreCase("no") || c.equals("0"));
    }

    boolean enabled() {
        return enabled(env);
    }

    String fg(int color) {
        return enabled() ? CSI + "3" + color + "m" : "";
    }

    String resetFg() {
        return fg(DEFAULT);
    }

    String highlight(String s) {
        return enabled() ? CSI + "1m" + s + CSI + "22m" : s;
    }

    /** OnOff of menu.lua: a boot option's label with its state in green or red. */
    String onOff(String label, boolean on) {
        return label + (on ? fg(GREEN) + "On" : fg(RED) + "off") + resetFg();
    }
}
