package userboot4j.loader;

import java.util.Locale;

/**
 * The kernel's boot flags ({@code boothowto}) as userboot's {@code bi_getboothowto} computes them: from
 * the kernel's arguments ({@code -s}, {@code -v}, …, which may also set variables), the {@code boot_*}
 * variables and {@code console}.
 */
public final class Howto {
    public static final int RB_ASKNAME = 0x1;
    public static final int RB_SINGLE = 0x2;
    public static final int RB_DFLTROOT = 0x20;
    public static final int RB_KDB = 0x40;
    public static final int RB_VERBOSE = 0x800;
    public static final int RB_SERIAL = 0x1000;
    public static final int RB_CDROM = 0x2000;
    public static final int RB_GDB = 0x8000;
    public static final int RB_MUTE = 0x10000;
    public static final int RB_PAUSE = 0x100000;
    public static final int RB_PROBE = 0x10000000;
    public static final int RB_MULTIPLE = 0x20000000;
    /** Passed on an i386 kernel's stack only: a struct bootinfo is there. */
    public static final int RB_BOOTINFO = 0x80000000;

    /** Variables that set a flag unless their value is "no" (sys/sys/boot.h howto_names). */
    private static final String[] ENV_NAMES = {
        "boot_askname", "boot_cdrom", "boot_ddb", "boot_dfltroot", "boot_gdb", "boot_multicons",
        "boot_mute", "boot_pause", "boot_serial", "boot_single", "boot_verbose"};
    private static final int[] ENV_FLAGS = {
        RB_ASKNAME, RB_CDROM, RB_KDB, RB_DFLTROOT, RB_GDB, RB_MULTIPLE,
        RB_MUTE, RB_PAUSE, RB_SERIAL, RB_SINGLE, RB_VERBOSE};

    private Howto() {
    }

    public static int compute(String kernelArgs, Environment env) {
        int howto = fromArgs(kernelArgs, env);
        for (int i = 0; i < ENV_NAMES.length; i++) {
            String v = env.isSet(ENV_NAMES[i]) ? env.get(ENV_NAMES[i]) : null;
            if (env.isSet(ENV_NAMES[i]) && !"no".equals(v == null ? null : v.toLowerCase(Locale.ROOT))) {
                howto |= ENV_FLAGS[i];
            }
        }
        String console = env.get("console");
        if (console != null) {
            boolean video = false;
            for (String c : console.split("[ ,]")) {
                switch (c) {
                    case "vidconsole" -> video = true;
                    case "comconsole" -> howto |= RB_SERIAL;
                    case "nullconsole" -> howto |= RB_MUTE;
                    default -> { }
                }
            }
            if (video && (howto & RB_SERIAL) != 0) {
                howto |= RB_MULTIPLE;
            }
            if (console.equals("vidconsole")) {
                howto &= ~RB_SERIAL;
            }
        }
        return howto;
    }

    /**
     * boot_parse_cmdline: words separated by blanks; in a word starting with '-' every known letter sets a
     * flag ({@code -S<speed>} sets comconsole_speed instead); any other word is an assignment to the
     * environment ({@code name=value}, or {@code name} alone meaning 1).
     */
    static int fromArgs(String args, Environment env) {
        int howto = 0;
        if (args == null) {
            return howto;
        }
        for (String word : args.split("[ \t\n]")) {
            if (word.isEmpty()) {
                continue;
            }
            if (word.charAt(0) != '-') {
                int eq = word.indexOf('=');
                env.set(eq < 0 ? word : word.substring(0, eq), eq < 0 ? "1" : word.substring(eq + 1));
                continue;
            }
            for (int i = 1; i < word.length(); i++) {
                char c = word.charAt(i);
                if (c == 'S') {
                    env.set("comconsole_speed", word.substring(i + 1));
                    break;
                }
                howto |= switch (c) {
                    case 'a' -> RB_ASKNAME;
                    case 'C' -> RB_CDROM;
                    case 'd' -> RB_KDB;
                    case 'D' -> RB_MULTIPLE;
                    case 'm' -> RB_MUTE;
                    case 'g' -> RB_GDB;
                    case 'h' -> RB_SERIAL;
                    case 'p' -> RB_PAUSE;
                    case 'P' -> RB_PROBE;
                    case 'r' -> RB_DFLTROOT;
                    case 's' -> RB_SINGLE;
                    case 'v' -> RB_VERBOSE;
                    default -> 0;
                };
            }
        }
        return howto;
    }

    /**
     * What is left of the kernel's arguments after parsing: boot_parse_cmdline splits them in place with
     * strsep, so the string the kernel later receives ends at the first blank.
     */
    static String afterParsing(String args) {
        if (args == null) {
            return null;
        }
        int end = 0;
        while (end < args.length() && " \t\n".indexOf(args.charAt(end)) < 0) {
            end++;
        }
        return args.substring(0, end);
    }
}
