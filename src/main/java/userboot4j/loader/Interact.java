package userboot4j.loader;

import java.util.ArrayList;
import java.util.List;
import userboot4j.BootException;
import userboot4j.dev.DeviceException;
import userboot4j.dev.Devices;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;
import userboot4j.fs.FileSystem;
import userboot4j.loader.menu.Core;
import userboot4j.loader.menu.Host;
import userboot4j.loader.menu.Menu;

/**
 * The loader's console after its configuration is read: the boot menu (menu.Menu) unless
 * {@code beastie_disable} is YES, then as interp.c's interact runs it the autoboot countdown of boot.c and on
 * a key the {@code OK} prompt with the common commands, their messages and the pager of pager.c.
 * It returns when the user boots; quit and reboot end with the exit statuses bhyveload gives them.
 */
public final class Interact {
    /** The console's keys and screen: libsa's ischar, getchar and putchar. */
    public interface Console {
        /** True when a key is waiting. */
        boolean ischar();

        /** The next key, waiting for it; -1 when no more input will come. */
        int getchar();

        /** Prints {@code s} (each newline as CR LF, as libsa's putchar does). */
        void print(String s);

        /** Seconds on the console's clock, for the countdown. */
        default long time() {
            return System.currentTimeMillis() / 1000;
        }

        /** Waits {@code microseconds} (libsa's delay), between two looks at the keys of a countdown. */
        default void delay(int microseconds) {
            try {
                Thread.sleep(microseconds / 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** bhyveload's exit statuses for the loader's quit and reboot (USERBOOT_EXIT_*). */
    public static final int EXIT_QUIT = 1;
    public static final int EXIT_REBOOT = 2;
    /** Ours: the keys given ran out while the loader waited for more. */
    public static final int EXIT_INPUT_ENDED = 3;

    static final String PAGER_PROMPT = " --more--  <space> page down <enter> line down <q> quit ";
    private static final String TYPES = "?fc?d?b? ?l?s?w";
    /** The commands, in the order FreeBSD 13.2's userboot lists them (those userboot4j has). */
    private static final String[][] COMMANDS = {{"quit", "exit the loader"}, {"reboot", "reboot the system"},
        {"boot", "boot a file or loaded kernel"}, {"autoboot", "boot automatically after a delay"},
        {"help", "detailed help"}, {"?", "list commands"}, {"show", "show variable(s)"}, {"set", "set a variable"},
        {"unset", "unset a variable"}, {"echo", "echo arguments"}, {"more", "show contents of a file"},
        {"lsdev", "list all devices"}, {"include", "read commands from a file"}, {"ls", "list files"},
        {"load", "load a kernel or module"}, {"unload", "unload all modules"}, {"lsmod", "list loaded modules"}};

    private final Loader loader;
    private final Config config;
    private final Devices devices;
    private final Console console;
    private final Core core;
    private final List<String> history = new ArrayList<>();
    private int freelines;
    private int maxlines;
    private boolean booting;

    Interact(Loader loader, Config config, Devices devices, Console console, Core core) {
        this.loader = loader;
        this.config = config;
        this.devices = devices;
        this.console = console;
        this.core = core;
    }

    /**
     * The menu (loader.lua runs it before interact), then interact(): the countdown unless autoboot_delay is
     * NO, then the prompt until a boot.
     */
    void run() throws BootException {
        if (!Menu.skipped(loader.env())) {
            new Menu(host(), core).run();
            if (booting) {
                return;
            }
        }
        console.print("\n");
        String delay = loader.env().get("autoboot_delay");
        if (delay == null || !delay.equalsIgnoreCase("NO")) {
            autoboot(-1, null);
        }
        if (booting) {
            return;
        }
        console.print("\nType '?' for a list of commands, 'help' for more detailed help.\n");
        if (loader.env().get("prompt") == null) {
            loader.env().set("prompt", "${interpret}");
        }
        if (loader.env().get("interpret") == null) {
            loader.env().set("interpret", "OK");
        }
        while (!booting) {
            String prompt = loader.env().get("prompt");
            String shown = prompt == null ? null : LoaderConf.expand(prompt, loader.env(), new String[1]);
            console.print((shown != null ? shown : prompt == null ? "" : prompt) + " ");
            String line = ngets();
            execute(line);
        }
    }

    /** The loader as the menu sees it: commands run as typed at the prompt. */
    private Host host() {
        return new Host() {
            @Override
            public Environment env() {
                return loader.env();
            }

            @Override
            public FileSystem fs() {
                return loader.fs();
            }

            @Override
            public Console console() {
                return console;
            }

            @Override
            public void perform(String command) throws BootException {
                Interact.this.perform(command); // the menu, as the Lua loader, does not print a command's error
            }

            @Override
            public boolean booting() {
                return booting;
            }

            @Override
            public void selectKernel(String kernel) {
                config.selectKernel(kernel);
            }

            @Override
            public void bootenvSet(String be) throws BootException {
                loader.env().set("vfs.root.mountfrom", be);
                // the loader reads through currdev from now on (dev.Devopen); a checkpoint's zfs:!POOL/… is a
                // name for the kernel only, which libsa refuses, so currdev stays and the pool is read as it is
                setCurrdev(be + ":");
                config.reload();
                if (core.release().drawsMenuOf15() && loader.env().get("kernelname") != null) {
                    loader.command("unload"); // 15's menu.lua: what the previous one loaded goes
                }
                core.clearCachedKernels();
            }
        };
    }

    /** userboot_setcurrdev: sets currdev to a name the devices parse; else the error, currdev left as it was. */
    private String setCurrdev(String value) throws BootException {
        try {
            devices.parse(value);
        } catch (DeviceException e) {
            return e.strerror();
        }
        loader.env().set("currdev", value);
        return null;
    }

    /** boot.c's autoboot: wait {@code timeout} seconds (-1: autoboot_delay, default 10) for a key. */
    private void autoboot(int timeout, String prompt) throws BootException {
        if (timeout == -1) {
            timeout = 10;
            String d = loader.env().get("autoboot_delay");
            if (d != null) {
                try {
                    timeout = Integer.decode(d.trim());
                } catch (NumberFormatException e) {
                    timeout = 10;
                }
            }
        }
        String kernel = loader.env().get("kernelname");
        if (kernel == null) {
            loadakernel();
            kernel = loader.env().get("kernelname");
            if (kernel == null) {
                return; // "no valid kernel found", which interact does not print
            }
        }
        boolean yes = true;
        if (timeout >= 0) {
            yes = false;
            long now = console.time();
            long when = now + timeout;
            long shown = -1;
            console.print((prompt == null ? "Hit [Enter] to boot immediately, or any other key for command prompt."
                    : prompt) + "\n");
            while (true) {
                if (console.ischar()) {
                    int c = console.getchar();
                    yes = c == '\r' || c == '\n';
                    break;
                }
                now = console.time();
                if (now >= when) {
                    yes = true;
                    break;
                }
                if (now != shown) {
                    long left = when - now;
                    console.print(String.format("\rBooting [%s] in %d second%s... ", kernel, left, left == 1 ? "" : "s"));
                    shown = now;
                }
                console.delay(20_000);
            }
        }
        if (yes) {
            console.print(String.format("\rBooting [%s]...               ", kernel));
        }
        console.print("\n");
        if (yes) {
            boot(List.of("boot"));
        }
    }

    /** libsa's ngets: echo, backspace, ^U and ^W to start over; up and down arrows recall earlier lines. */
    private String ngets() throws BootException {
        StringBuilder line = new StringBuilder();
        int recalled = history.size();
        while (true) {
            int c = key();
            switch (c & 0x7f) {
                case '\n', '\r' -> {
                    console.print("\n");
                    if (!line.toString().isBlank()) {
                        history.add(line.toString());
                    }
                    return line.toString();
                }
                case '\b', 0x7f -> {
                    if (line.length() > 0) {
                        line.setLength(line.length() - 1);
                        console.print("\b \b");
                    }
                }
                case 'u' & 037, 'w' & 037 -> {
                    line.setLength(0);
                    console.print("\n");
                }
                case 033 -> {
                    // ESC [ A / ESC [ B: an earlier or later line in place of this one (ours; 13.2 has none)
                    if (key() != '[') {
                        continue;
                    }
                    int arrow = key();
                    int to = arrow == 'A' ? recalled - 1 : arrow == 'B' ? recalled + 1 : recalled;
                    if (to < 0 || to > history.size() || to == recalled) {
                        continue;
                    }
                    recalled = to;
                    console.print("\b \b".repeat(line.length()));
                    line.setLength(0);
                    line.append(to == history.size() ? "" : history.get(to));
                    console.print(line.toString());
                }
                default -> {
                    line.append((char) c);
                    console.print(String.valueOf((char) c));
                }
            }
        }
    }

    private int key() throws BootException {
        int c = console.getchar();
        if (c < 0) {
            throw new BootException(EXIT_INPUT_ENDED, "the loader waits for input at its prompt, and the input ended");
        }
        return c;
    }

    /** interp_run: one command line; an error is printed and the prompt comes back. */
    void execute(String line) throws BootException {
        String error = perform(line);
        if (error != null) {
            console.print(error + "\n");
        }
    }

    /** loader.perform: one command line; its error (command_errmsg) is returned, not printed. */
    private String perform(String line) throws BootException {
        String expanded = line.indexOf('$') < 0 ? line : LoaderConf.expand(line, loader.env(), new String[1]);
        if (expanded == null) {
            return "syntax error";
        }
        List<String> argv = CommandLine.split(expanded);
        if (argv.isEmpty()) {
            return null;
        }
        try {
            return command(argv);
        } catch (DeviceException | BootException.Usage | BootException.NotFound | BootException.InvalidFormat
                | BootException.Unsupported | BootException.Config e) {
            return e.getMessage();
        }
    }

    /** One command; returns its error message (command_errmsg), or null. */
    private String command(List<String> argv) throws BootException {
        List<String> args = argv.subList(1, argv.size());
        switch (argv.get(0)) {
            case "boot" -> boot(argv);
            case "autoboot" -> autoboot(args.isEmpty() ? -1 : parseInt(args.get(0), -1),
                    args.size() > 1 ? String.join(" ", args.subList(1, args.size())) : null);
            case "quit" -> throw new BootException(EXIT_QUIT, "the loader was told to quit");
            case "reboot" -> throw new BootException(EXIT_REBOOT, "the loader was told to reboot");
            case "?" -> {
                pagerOpen();
                pager("Available commands:\n");
                for (String[] c : COMMANDS) {
                    if (pager(String.format("  %-15s  %s\n", c[0], c[1]))) {
                        break;
                    }
                }
            }
            case "help" -> {
                return "Verbose help not available, use '?' to list commands";
            }
            case "show" -> {
                if (!args.isEmpty()) {
                    String v = loader.env().get(args.get(0));
                    if (!loader.env().isSet(args.get(0))) {
                        return "variable '" + args.get(0) + "' not found";
                    }
                    console.print((v == null ? "" : v) + "\n");
                    return null;
                }
                pagerOpen();
                for (String e : loader.env().entries()) {
                    if (pager(e + "\n")) {
                        break;
                    }
                }
            }
            case "set" -> {
                if (args.size() != 1) {
                    return "wrong number of arguments";
                }
                String a = args.get(0);
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                String value = eq < 0 ? "" : a.substring(eq + 1);
                if (name.equals("currdev")) {
                    return setCurrdev(value);
                }
                loader.env().set(name, value);
            }
            case "unset" -> {
                if (args.size() != 1) {
                    return "wrong number of arguments";
                }
                if (!loader.env().isSet(args.get(0))) {
                    return "no such file or directory";
                }
                loader.env().unset(args.get(0));
            }
            case "echo" -> {
                boolean newline = args.isEmpty() || !args.get(0).equals("-n");
                console.print(String.join(" ", newline ? args : args.subList(1, args.size())) + (newline ? "\n" : ""));
            }
            case "more" -> {
                pagerOpen();
                for (String f : args) {
                    if (more(f)) {
                        break;
                    }
                }
            }
            case "include" -> {
                for (String f : args) {
                    String text;
                    try {
                        text = text(f);
                    } catch (BootException.NotFound e) {
                        return "no error message"; // 13.2's include sets no message for a file it cannot open
                    }
                    for (String l : text.split("\n", -1)) {
                        execute(l);
                    }
                }
            }
            case "ls" -> {
                return ls(args);
            }
            case "lsdev" -> {
                pagerOpen();
                for (String l : devices.lsdev(args.contains("-v"))) {
                    if (pager(l + "\n")) {
                        break;
                    }
                }
            }
            case "load" -> loader.command(argv);
            case "unload" -> loader.unload();
            case "lsmod" -> lsmod(args.contains("-v"));
            default -> {
                return "unknown command";
            }
        }
        return null;
    }

    private static int parseInt(String s, int otherwise) {
        try {
            return Integer.decode(s);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /**
     * command_boot as the Lua loader runs it: {@code boot [-flags] [kernel]}; a kernel named replaces what is
     * loaded; with nothing loaded the configured kernel and modules load first; flags become the kernel's
     * arguments.
     */
    private void boot(List<String> argv) throws BootException {
        List<String> args = new ArrayList<>(argv.subList(1, argv.size()));
        if (!args.isEmpty() && !args.get(0).startsWith("-")) {
            loader.unload();
            config.selectKernel(args.remove(0));
        }
        if (loader.findFile(null, PreloadedFile.ELF_KERNEL) == null) {
            config.loadelf();
        }
        if (loader.findFile(null, PreloadedFile.ELF_KERNEL) == null) {
            loadakernel();
        }
        PreloadedFile kernel = loader.findFile(null, PreloadedFile.ELF_KERNEL);
        if (kernel == null) {
            return; // command_boot's "no bootable kernel", which the Lua loader does not print
        }
        if (!args.isEmpty()) {
            kernel.setArgs(String.join(" ", args));
        }
        booting = true;
    }

    /**
     * boot.c's loadakernel: each name of {@code bootfile} in turn loaded as a module (from module_path as it
     * stands), until one loads; each that does not is reported.
     */
    private void loadakernel() throws BootException {
        String spec = loader.env().get("bootfile");
        for (String name : (spec == null ? "kernel" : spec).split(";", -1)) {
            if (name.isEmpty()) {
                return; // getbootfile stops at an empty name
            }
            try {
                loader.loadKld(name, List.of());
                return;
            } catch (BootException.NotFound e) {
                loader.error("can't load '" + name + "'");
            }
        }
    }

    private void lsmod(boolean verbose) {
        pagerOpen();
        for (PreloadedFile f : loader.files()) {
            if (pager(String.format(" 0x%x: %s (%s, 0x%x)\n", f.addr(), f.name(), f.type(), f.size()))) {
                return;
            }
            if (f.args() != null && pager("    args: " + f.args() + "\n")) {
                return;
            }
            if (!f.modules().isEmpty()) {
                StringBuilder sb = new StringBuilder("  modules: ");
                List<PreloadedFile.KernelModule> modules = new ArrayList<>(f.modules());
                java.util.Collections.reverse(modules); // file_addmodule puts each at the head of its list
                for (PreloadedFile.KernelModule m : modules) {
                    sb.append(m.name()).append('.').append(m.version()).append(' ');
                }
                if (pager(sb.append('\n').toString())) {
                    return;
                }
            }
            if (verbose) {
                for (Metadata md : f.metadata()) {
                    if (pager(String.format("      0x%04x, 0x%x\n", md.type(), md.data().length))) {
                        return;
                    }
                }
            }
        }
    }

    /** command_ls: the directory's name, then a line per entry ({@code -l}: with its size). */
    private String ls(List<String> args) throws BootException {
        boolean verbose = !args.isEmpty() && args.get(0).equals("-l");
        String path = args.size() > (verbose ? 1 : 0) ? args.get(verbose ? 1 : 0) : "/";
        if (!path.startsWith("/") && path.contains(":")) {
            try {
                devices.parse(path); // ls_getdir's arch_getdev: a device it cannot parse is a bad path
            } catch (DeviceException e) {
                return "bad path '" + path + "'";
            }
        }
        if (path.endsWith(":")) {
            path += "/"; // a device alone is its root
        }
        List<DirEntry> entries;
        try {
            entries = loader.fs().readdir(path);
        } catch (DeviceException e) {
            return "open '" + path + "' failed: " + e.strerror();
        } catch (BootException.NotFound e) {
            return "open '" + path + "' failed: " + DeviceException.ENOENT;
        }
        pagerOpen();
        if (pager(path + "\n")) {
            return null;
        }
        for (DirEntry e : entries) {
            char t = TYPES.charAt(switch (e.kind()) {
                case DIRECTORY -> 4;
                case REGULAR -> 8;
                case SYMLINK -> 10;
                default -> 0;
            });
            String line;
            if (verbose) {
                FileStat st;
                try {
                    st = loader.fs().stat((path.endsWith("/") ? path : path + "/") + e.name());
                } catch (BootException ex) {
                    st = new FileStat(e.kind(), 0);
                }
                line = String.format(" %c %8d %s\n", t, st.size(), e.name());
            } else {
                line = String.format(" %c  %s\n", t, e.name());
            }
            if (pager(line)) {
                break;
            }
        }
        return null;
    }

    /** pager_file with its BEGIN and END lines; true when the user quit the pager. */
    private boolean more(String path) throws BootException {
        String text;
        try {
            text = text(path);
        } catch (BootException.NotFound e) {
            console.print("error showing " + path + "\n");
            return false;
        }
        return pager("*** FILE " + path + " BEGIN ***\n") || pager(text)
                || pager("*** FILE " + path + " END ***\n");
    }

    private String text(String path) throws BootException {
        try (FileData f = loader.fs().open(path)) {
            if (f.size() > 1 << 20) {
                throw new BootException.InvalidFormat(path + ": too large to show");
            }
            byte[] b = new byte[(int) f.size()];
            f.readFully(0, b.length).get(b);
            return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** pager_open: LINES (default 24) less one line for the prompt. */
    private void pagerOpen() {
        maxlines = Math.max(1, parseInt(String.valueOf(loader.env().get("LINES")), 24) - 1);
        freelines = maxlines;
    }

    /** pager_output: stops after a screenful for a key; true when the user quit. */
    private boolean pager(String text) {
        for (int from = 0; from < text.length(); ) {
            int nl = text.indexOf('\n', from);
            int to = nl < 0 ? text.length() : nl + 1;
            console.print(text.substring(from, to)); // a line at a time, not a write per character
            from = to;
            if (nl >= 0 && --freelines == 0) {
                console.print(PAGER_PROMPT);
                boolean quit = false;
                while (true) {
                    int k = console.getchar();
                    if (k < 0 || k == 'q' || k == 'Q') {
                        quit = true;
                        break;
                    }
                    if (k == '\r' || k == '\n') {
                        freelines = 1;
                        break;
                    }
                    if (k == ' ') {
                        freelines = maxlines;
                        break;
                    }
                }
                console.print("\r" + " ".repeat(PAGER_PROMPT.length()) + "\r");
                if (quit) {
                    return true;
                }
            }
        }
        return false;
    }
}
