package userboot4j.loader.menu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import userboot4j.BootException;
import userboot4j.loader.Environment;
import userboot4j.loader.Interact;

/**
 * menu.lua: the boot menu FreeBSD's Lua loader shows unless {@code beastie_disable} is YES — the main menu
 * with its countdown, Boot Options, the kernel, console and boot-environment choices — driven by single
 * keys. It returns when a boot has started, or (the user escaped) for the loader's prompt.
 */
public final class Menu {
    private static final int KEY_BACKSPACE = 8;
    private static final int KEY_ENTER = 13;
    private static final int KEY_DELETE = 127;
    private static final int NO_KEY = -1;

    private final Host host;
    private final Environment env;
    private final Core core;
    private final Color color;
    private final Screen screen;
    private final Drawer drawer;
    private final MenuEntry.MenuDef welcome;
    private final MenuEntry.MenuDef bootOptions;
    private final MenuEntry.MenuDef bootEnvironments;
    private MenuEntry.MenuDef drawn;
    private Map<String, MenuEntry> keys = Map.of();

    public Menu(Host host, Core core) {
        this.host = host;
        this.env = host.env();
        this.core = core;
        this.color = new Color(env);
        this.screen = new Screen(host.console(), core.release().drawsMenuOf15() ? 1 : 0);
        this.drawer = new Drawer(env, screen, color, core);
        this.bootOptions = new MenuEntry.MenuDef(this::bootOptionsEntries);
        this.bootEnvironments = new MenuEntry.MenuDef(this::bootEnvironmentEntries);
        this.welcome = new MenuEntry.MenuDef(this::welcomeEntries);
    }

    /** core.isMenuSkipped: the loader goes straight to its own countdown and prompt. */
    public static boolean skipped(Environment env) {
        return "yes".equalsIgnoreCase(env.get("beastie_disable"));
    }

    /** menu.run: the countdown over the drawn main menu, then the keys until a boot or an escape. */
    public void run() throws BootException {
        boolean count = !"no".equalsIgnoreCase(env.get("autoboot_delay"));
        int delay = core.number("autoboot_delay", 10);
        if (count && delay == -1) {
            host.perform("boot");
            return;
        }
        draw(welcome);
        int key = NO_KEY;
        if (count) {
            key = autoboot(delay);
            if (key == NO_KEY) {
                return;
            }
        }
        process(welcome, key);
        if (host.booting()) {
            return;
        }
        drawn = null;
        screen.defCursor();
        screen.println("Exiting menu!");
    }

    /**
     * menu.autoboot: counts down on line 23 (24 from 15 on) until a key; Enter or the end boots
     * (menu_timeout_command), any other key stops the count, blanks its line and is returned. 15's prints
     * the count without a newline, only if {@code loader_autoboot_show} is yes, and blanks 79 columns from
     * the first.
     */
    private int autoboot(int delay) throws BootException {
        Interact.Console console = host.console();
        boolean of15 = core.release().drawsMenuOf15();
        String x = core.valueOr("loader_menu_timeout_x", "4");
        String y = core.valueOr("loader_menu_timeout_y", of15 ? "24" : "23");
        boolean show = !of15 || core.valueOr("loader_autoboot_show", "yes").equals("yes");
        long end = console.time() + delay;
        Long last = null;
        long left;
        do {
            left = end - console.time();
            if (last == null || last != left) {
                last = left;
                if (show) {
                    screen.setCursor(x, y);
                    String count = "Autoboot in " + left + " seconds. [Space] to pause ";
                    if (of15) {
                        screen.printc(count);
                    } else {
                        screen.println(count);
                    }
                    screen.defCursor();
                }
            }
            if (console.ischar()) {
                int c = console.getchar();
                if (c == KEY_ENTER) {
                    break;
                }
                if (of15) {
                    screen.setCursor("1", y);
                    screen.printc(" ".repeat(79));
                } else {
                    screen.setCursor("0", y);
                    screen.println(" ".repeat(80));
                }
                screen.defCursor();
                return c;
            }
            console.delay(50_000);
        } while (left > 0);
        host.perform(core.valueOr("menu_timeout_command", "boot"));
        return NO_KEY;
    }

    private void draw(MenuEntry.MenuDef menu) {
        screen.clear();
        keys = drawer.drawScreen(menu);
        drawn = menu;
        screen.defCursor();
    }

    /**
     * menu.process: keys for {@code menu} ({@code key} first when it is not NO_KEY). Backspace leaves a
     * submenu, Enter boots; a key naming an entry runs it and the menu is drawn again. False when this
     * menu and those above it are done.
     */
    private boolean process(MenuEntry.MenuDef menu, int key) throws BootException {
        if (drawn != menu) {
            draw(menu);
        }
        while (true) {
            int c = key != NO_KEY ? key : nextKey();
            key = NO_KEY;
            if ((c == KEY_BACKSPACE || c == KEY_DELETE) && menu != welcome) {
                return true;
            }
            if (c == KEY_ENTER) {
                host.perform("boot");
                return false;
            }
            MenuEntry entry = keys.get(String.valueOf((char) c));
            if (entry == null) {
                continue;
            }
            if (!choose(entry) || host.booting()) {
                return false;
            }
            draw(menu);
        }
    }

    private int nextKey() throws BootException {
        int c = host.console().getchar();
        if (c < 0) {
            throw new BootException(Interact.EXIT_INPUT_ENDED, "the loader waits for a key in its menu, and the input ended");
        }
        return c;
    }

    /** menu.handlers: what choosing each kind of entry does; false leaves the menu. */
    private boolean choose(MenuEntry entry) throws BootException {
        if (entry instanceof MenuEntry.Entry e) {
            e.action().run();
        } else if (entry instanceof MenuEntry.Carousel c) {
            List<String> choices = c.items().get();
            if (!choices.isEmpty()) {
                int index = core.carouselIndex(c.id()) % choices.size() + 1;
                core.setCarouselIndex(c.id(), index);
                c.action().chosen(choices.get(index - 1));
            }
        } else if (entry instanceof MenuEntry.Submenu s) {
            process(s.submenu().get(), NO_KEY);
        } else if (entry instanceof MenuEntry.Return r) {
            if (r.action() != null) {
                r.action().run();
            }
            return false;
        }
        return true;
    }

    private String multiUserPrompt() {
        return core.valueOr("loader_menu_multi_user_prompt", "Multi user");
    }

    /** The main menu; with boot_single=YES single user comes first and takes the [Enter]. */
    private List<MenuEntry> welcomeEntries() {
        boolean single = core.isSingleUserBoot();
        MenuEntry multiUser = new MenuEntry.Entry(
                () -> color.highlight("B") + "oot " + multiUserPrompt() + (single ? "" : " " + color.highlight("[Enter]")),
                () -> boot(false), List.of("b", "B"));
        MenuEntry singleUser = new MenuEntry.Entry(
                () -> "Boot " + color.highlight("S") + "ingle user" + (single ? " " + color.highlight("[Enter]") : ""),
                () -> boot(true), List.of("s", "S"));
        List<MenuEntry> entries = new ArrayList<>(single ? List.of(singleUser, multiUser) : List.of(multiUser, singleUser));
        entries.add(new MenuEntry.Return(() -> color.highlight("Esc") + "ape to loader prompt",
                () -> env.set("autoboot_delay", "NO"), List.of("\033")));
        entries.add(new MenuEntry.Entry(() -> color.highlight("R") + "eboot", () -> host.perform("reboot"),
                List.of("r", "R")));
        entries.add(new MenuEntry.Entry(() -> color.highlight("C") + "ons: " + core.consoleName(),
                core::nextConsoleChoice, List.of("c", "C")));
        MenuEntry kernel = new MenuEntry.Carousel("kernel", () -> core.kernelList(host.fs()), this::kernelName,
                this::selectKernel, List.of("k", "K"), MenuEntry.ALWAYS);
        boolean of15 = core.release().drawsMenuOf15();
        entries.add(new MenuEntry.Separator(""));
        if (of15) {
            // the kernel under a heading of its own, then the options
            entries.addAll(List.of(new MenuEntry.Separator("Kernel:"), kernel, new MenuEntry.Separator("")));
        }
        entries.add(new MenuEntry.Separator("Options:"));
        if (!of15) {
            entries.add(kernel);
        }
        entries.add(new MenuEntry.Submenu(() -> "Boot " + color.highlight("O") + "ptions", () -> bootOptions,
                List.of("o", "O"), MenuEntry.ALWAYS));
        entries.add(new MenuEntry.Entry(
                () -> "Rewind ZFS " + color.highlight("C") + "heckpoint: " + (core.isRewinded() ? "Yes" : "No"),
                this::rewindCheckpoint, List.of("c", "C"), () -> core.isZfsBoot() && core.isCheckpointed()));
        entries.add(new MenuEntry.Submenu(() -> "Boot " + color.highlight("E") + "nvironments", () -> bootEnvironments,
                List.of("e", "E"), () -> core.isZfsBoot() && core.bootenvList().size() > 1));
        // userboot has no chain command: choosing it fails quietly, as loader.perform does
        entries.add(new MenuEntry.Entry(() -> "Chain" + color.highlight("L") + "oad " + env.get("chain_disk"),
                () -> host.perform("chain " + env.get("chain_disk")), List.of("l", "L"),
                () -> env.get("chain_disk") != null));
        if (of15) {
            // then "Loader needs to be updated", which a loader of revision 3.0 never shows
            entries.add(new MenuEntry.Separator(""));
        }
        return entries;
    }

    /** Rewind ZFS Checkpoint: boot the default boot environment as the checkpoint, or the pool now, has it. */
    private void rewindCheckpoint() throws BootException {
        core.changeRewindCheckpoint();
        host.bootenvSet(core.isRewinded() ? core.bootenvDefaultRewinded() : core.bootenvDefault());
        core.setCarouselIndex("be_active", 1);
    }

    private void boot(boolean singleUser) throws BootException {
        core.setSingleUser(singleUser);
        host.perform("boot");
    }

    /**
     * The kernel carousel's line: the first choice is the default, in green; the others in blue. 15's is
     * only the name (green, the others cyan) and the count, under its heading.
     */
    private String kernelName(int index, String choice, List<String> choices) {
        if (core.release().drawsMenuOf15()) {
            return choices.isEmpty() ? "" : color.fg(index == 1 ? Color.GREEN : Color.CYAN) + choice + color.resetFg()
                    + " (" + index + " of " + choices.size() + ")";
        }
        if (choices.isEmpty()) {
            return "Kernel: ";
        }
        String name = index == 1 ? "default/" + color.fg(Color.GREEN) : color.fg(Color.BLUE);
        return color.highlight("K") + "ernel: " + name + choice + color.resetFg() + " (" + index + " of "
                + choices.size() + ")";
    }

    /** A kernel chosen replaces one already loaded at the next boot. */
    private void selectKernel(String kernel) throws BootException {
        if (env.get("kernelname") != null) {
            host.perform("unload");
        }
        host.selectKernel(kernel);
    }

    /**
     * Boot Options: defaults and the toggles; ACPI's is shown by 13's i386 loaders only, not userboot's amd64,
     * and by 15's wherever the loader finds ACPI (userboot does not say it probes early, so there too).
     */
    private List<MenuEntry> bootOptionsEntries() {
        return List.of(backEntry(),
                new MenuEntry.Entry(() -> "Load System " + color.highlight("D") + "efaults", core::setDefaults,
                        List.of("d", "D")),
                new MenuEntry.Separator(""),
                new MenuEntry.Separator("Boot Options:"),
                new MenuEntry.Entry(() -> color.onOff(color.highlight("A") + "CPI       :", core.acpi()),
                        () -> core.setAcpi(!core.acpi()), List.of("a", "A"), () -> core.release().enablesAcpi()),
                new MenuEntry.Entry(() -> color.onOff("Safe " + color.highlight("M") + "ode  :", core.safeMode()),
                        () -> core.setSafeMode(!core.safeMode()), List.of("m", "M")),
                new MenuEntry.Entry(() -> color.onOff(color.highlight("S") + "ingle user:", core.singleUser()),
                        () -> core.setSingleUser(!core.singleUser()), List.of("s", "S")),
                new MenuEntry.Entry(() -> color.onOff(color.highlight("V") + "erbose    :", core.verbose()),
                        () -> core.setVerbose(!core.verbose()), List.of("v", "V")));
    }

    /** Boot Environments: a carousel of the pool's boot environments, and its bootfs. */
    private List<MenuEntry> bootEnvironmentEntries() {
        return List.of(backEntry(),
                new MenuEntry.Carousel("be_active", core::bootenvList, this::bootenvName, host::bootenvSet,
                        List.of("a", "A"), MenuEntry.ALWAYS),
                new MenuEntry.Entry(() -> color.highlight("b") + "ootfs: " + core.bootenvDefault(), () -> {
                    core.setCarouselIndex("be_active", 1);
                    host.bootenvSet(core.bootenvDefault());
                }, List.of("b", "B")));
    }

    private String bootenvName(int index, String choice, List<String> choices) {
        if (choices.isEmpty()) {
            return "Active: ";
        }
        int other = core.release().drawsMenuOf15() ? Color.CYAN : Color.BLUE;
        return color.highlight("A") + "ctive: " + color.fg(index == 1 ? Color.GREEN : other) + choice
                + color.resetFg() + " (" + index + " of " + choices.size() + ")";
    }

    private MenuEntry backEntry() {
        return new MenuEntry.Return(() -> "Back to main menu" + color.highlight(" [Backspace]"), null, List.of());
    }
}
