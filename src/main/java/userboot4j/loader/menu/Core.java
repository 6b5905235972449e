package userboot4j.loader.menu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import userboot4j.BootException;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileStat;
import userboot4j.fs.FileSystem;
import userboot4j.loader.Environment;
import userboot4j.loader.LoaderRelease;

/**
 * core.lua's state behind the menu: the boot options (safe mode, single user, verbose, ACPI) as variables,
 * the console choice, the kernels and boot environments offered, and which choice each carousel shows.
 */
public final class Core {
    private static final Pattern KERNEL_NAME = Pattern.compile("[^;, ]+");
    private static final String[] SAFE_MODE = {"kern.smp.disabled=1", "hw.ata.ata_dma=0", "hw.ata.atapi_dma=0",
        "hw.ata.wc=0", "hw.eisa_slots=0", "kern.eventtimer.periodic=1", "kern.geom.part.check_integrity=0"};
    /** 15's safe mode: without the two ATA and EISA tunables, and saying so in boot_safe. */
    private static final String[] SAFE_MODE_15 = {"kern.smp.disabled=1", "hw.ata.ata_dma=0", "hw.ata.atapi_dma=0",
        "kern.eventtimer.periodic=1", "kern.geom.part.check_integrity=0", "boot_safe=YES"};

    private final Environment env;
    private final LoaderRelease release;
    /** config.enableModule/disableModule, which 15's ACPI switch goes through. */
    private final BiConsumer<String, Boolean> modules;
    private final boolean defaultAcpi;
    private final boolean defaultSingleUser;
    private final boolean defaultVerbose;
    private final Map<String, Integer> carousels = new HashMap<>();
    private boolean acpi;
    private boolean safeMode;
    private boolean singleUser;
    private boolean verbose;
    private List<String> kernels;
    /** The variables the boot environments are listed from: bootenvs, or bootenvs_check when rewound. */
    private String bootenvList = "bootenvs";

    /**
     * recordDefaults: core.lua runs it when it is first required, before the configuration is read, so
     * only bhyveload's {@code -e} strings decide the defaults (and the variables become YES or go). 15's
     * also sets ACPI as the environment has it: on unless {@code hint.acpi.0.disabled} is 1.
     */
    public Core(Environment env, LoaderRelease release, BiConsumer<String, Boolean> modules) {
        this.env = env;
        this.release = release;
        this.modules = modules;
        defaultAcpi = release.enablesAcpi() && number("hint.acpi.0.disabled", 0) != 1;
        if (release.enablesAcpi()) {
            setAcpi(defaultAcpi);
        }
        defaultSingleUser = !"no".equalsIgnoreCase(valueOr("boot_single", "no"));
        defaultVerbose = !"no".equalsIgnoreCase(valueOr("boot_verbose", "no"));
        setSingleUser(defaultSingleUser);
        setVerbose(defaultVerbose);
    }

    /** The release whose core.lua and menu this is. */
    public LoaderRelease release() {
        return release;
    }

    /** A variable's value, or {@code otherwise} when it is not set (Lua's {@code getenv(name) or …}). */
    String valueOr(String name, String otherwise) {
        String v = env.get(name);
        return v == null ? otherwise : v;
    }

    /** Lua's tonumber on a variable: {@code otherwise} when it is not set or not a number. */
    int number(String name, int otherwise) {
        try {
            return Integer.decode(valueOr(name, String.valueOf(otherwise)).trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private void flag(String name, boolean on) {
        if (on) {
            env.set(name, "YES");
        } else {
            env.unset(name);
        }
    }

    boolean singleUser() {
        return singleUser;
    }

    boolean safeMode() {
        return safeMode;
    }

    boolean verbose() {
        return verbose;
    }

    boolean acpi() {
        return acpi;
    }

    void setSingleUser(boolean on) {
        flag("boot_single", on);
        singleUser = on;
    }

    void setVerbose(boolean on) {
        flag("boot_verbose", on);
        verbose = on;
    }

    void setSafeMode(boolean on) {
        for (String s : release.drawsMenuOf15() ? SAFE_MODE_15 : SAFE_MODE) {
            int eq = s.indexOf('=');
            if (on) {
                env.set(s.substring(0, eq), s.substring(eq + 1));
            } else {
                env.unset(s.substring(0, eq));
            }
        }
        safeMode = on;
    }

    void setAcpi(boolean on) {
        if (release.enablesAcpi()) {
            modules.accept("acpi", on);
            env.set("hint.acpi.0.disabled", on ? "0" : "1");
        } else if (on) {
            env.set("acpi_load", "YES");
            env.set("hint.acpi.0.disabled", "0");
            env.unset("loader.acpi_disabled_by_user");
        } else {
            env.unset("acpi_load");
            env.set("hint.acpi.0.disabled", "1");
            env.set("loader.acpi_disabled_by_user", "1");
        }
        acpi = on;
    }

    /**
     * setDefaults ("Load System Defaults"); in 13, ACPI is on when the firmware handed the loader its
     * tables, in 15 as it was when the loader started.
     */
    void setDefaults() {
        setAcpi(release.enablesAcpi() ? defaultAcpi : env.get("hint.acpi.0.rsdp") != null);
        setSafeMode(false);
        setSingleUser(defaultSingleUser);
        setVerbose(defaultVerbose);
    }

    /** isSingleUserBoot: the main menu then offers single user first, with [Enter]. */
    boolean isSingleUserBoot() {
        return "yes".equalsIgnoreCase(env.get("boot_single"));
    }

    boolean isZfsBoot() {
        String c = env.get("currdev");
        return c != null && c.startsWith("zfs:");
    }

    /** isSerialConsole: the menu's frame is then drawn in ASCII. */
    boolean isSerialConsole() {
        String c = env.get("console");
        return c != null && (c.contains("comconsole") || c.contains("userboot"));
    }

    String consoleName() {
        boolean serial = env.get("boot_serial") != null;
        if (env.get("boot_multicons") != null) {
            return serial ? "Dual (Serial primary)" : "Dual (Video primary)";
        }
        return serial ? "Serial" : "Video";
    }

    /** nextConsoleChoice: Serial, Video, Dual (Serial primary), Dual (Video primary), Serial… */
    void nextConsoleChoice() {
        boolean serial = env.get("boot_serial") != null;
        if (env.get("boot_multicons") != null) {
            if (serial) {
                env.unset("boot_serial");
            } else {
                env.unset("boot_multicons");
                env.set("boot_serial", "YES");
            }
        } else if (serial) {
            env.unset("boot_serial");
        } else {
            env.set("boot_multicons", "YES");
            env.set("boot_serial", "YES");
        }
    }

    /** config.lua's carousel choices: each carousel's index from 1, the first being the default. */
    int carouselIndex(String id) {
        return carousels.getOrDefault(id, 1);
    }

    void setCarouselIndex(String id, int index) {
        carousels.put(id, index);
    }

    /**
     * kernelList, worked out once: {@code kernel}, then {@code kernels}, then (with kernels_autodetect=YES)
     * each directory under /boot holding a regular file {@code kernel}, in the directory's order.
     */
    List<String> kernelList(FileSystem fs) {
        if (kernels != null) {
            return kernels;
        }
        Set<String> found = new LinkedHashSet<>();
        if (env.get("kernel") != null) {
            found.add(env.get("kernel"));
        }
        if (env.get("kernels") != null) {
            Matcher m = KERNEL_NAME.matcher(env.get("kernels"));
            while (m.find()) {
                found.add(m.group());
            }
        }
        String autodetect = valueOr("kernels_autodetect", "");
        List<DirEntry> boot = List.of();
        try {
            boot = fs.readdir("/boot");
        } catch (BootException e) {
            autodetect = "no";
            env.set("kernels_autodetect", "NO");
        }
        if (autodetect.equalsIgnoreCase("yes")) {
            for (DirEntry e : boot) {
                if (e.kind() == FileStat.Kind.DIRECTORY && hasKernel(fs, e.name())) {
                    found.add(e.name());
                }
            }
        }
        kernels = new ArrayList<>(found);
        return kernels;
    }

    /** The configuration was read again: the kernels may be others (config.reloaded's hook). */
    public void clearCachedKernels() {
        kernels = null;
    }

    /** bootenvDefault: the boot environment the pool boots (its bootfs). */
    String bootenvDefault() {
        return env.get("zfs_be_active");
    }

    /**
     * bootenvList: the default first (on the checkpoint's list its rewound name), then LIST[0..LIST_count-1],
     * each once, LIST being bootenvs or, rewound, bootenvs_check.
     */
    List<String> bootenvList() {
        Set<String> found = new LinkedHashSet<>();
        int count = number(bootenvList + "_count", 0);
        if (count <= 0) {
            return List.of();
        }
        String first = isRewinded() ? bootenvDefaultRewinded() : bootenvDefault();
        if (first != null) {
            found.add(first);
        }
        for (int i = 0; i < count; i++) {
            String be = env.get(bootenvList + "[" + i + "]");
            if (be != null) {
                found.add(be);
            }
        }
        return new ArrayList<>(found);
    }

    /** isCheckpointed: the boot pool has a checkpoint (the loader set zpool_checkpoint). */
    boolean isCheckpointed() {
        return env.get("zpool_checkpoint") != null;
    }

    /** isRewinded: boot environments are listed, and chosen, from the pool's checkpoint. */
    boolean isRewinded() {
        return bootenvList.equals("bootenvs_check");
    }

    /** changeRewindCheckpoint: toggles between the pool's current boot environments and its checkpoint's. */
    void changeRewindCheckpoint() {
        bootenvList = isRewinded() ? "bootenvs" : "bootenvs_check";
    }

    /**
     * bootenvDefaultRewinded: the default boot environment as the checkpoint names it ({@code zfs:!…}). 13.2's
     * core.lua takes the number of checkpoint boot environments from the string "bootenvs_check_count"
     * rather than the variable, so it never looks further and always answers this name.
     */
    String bootenvDefaultRewinded() {
        String def = bootenvDefault();
        return def == null ? null : "zfs:!" + def.substring("zfs:".length());
    }

    private static boolean hasKernel(FileSystem fs, String dir) {
        try {
            return fs.isRegularFile("/boot/" + dir + "/kernel");
        } catch (BootException e) {
            return false;
        }
    }
}
