package userboot4j.loader;

import java.util.Locale;
import userboot4j.BootException;
import userboot4j.fs.zfs.FeaturesForRead;

/**
 * The FreeBSD release whose loader userboot4j imitates: what the loader decides differently from one
 * release to the next (docs/LOADER-NOTES.md, Releases, gives each fact with the file and release it comes
 * from). {@link #key()} names the release for the parts of the boot that keep their own tables per release.
 */
public enum LoaderRelease {
    /** FreeBSD 13.x, as 13.2-RELEASE's stand/lua and stand/defaults have it. */
    FREEBSD_13("13", "13.2"),
    /** FreeBSD 14.x from 14.1 on: loader.conf.local and the product directories are config.lua's own steps. */
    FREEBSD_14("14", "14.1"),
    /** FreeBSD 15.x, as 15.1-RELEASE's stand/lua and stand/defaults have it. */
    FREEBSD_15("15", "15.1");

    private final String key;
    private final String reference;

    LoaderRelease(String key, String reference) {
        this.key = key;
        this.reference = reference;
    }

    /** The major release, "13", "14" or "15": the key of per-release tables outside the loader. */
    public String key() {
        return key;
    }

    /** The release whose sources the profile was taken from, e.g. "15.1". */
    public String reference() {
        return reference;
    }

    /**
     * config.lua reads {@code local_loader_conf_files} after {@code loader_conf_dirs}, and the directories
     * {@code product_vars} names; 13's defaults list loader.conf.local in {@code loader_conf_files} instead.
     */
    boolean readsLocalAndProductFiles() {
        return this != FREEBSD_13;
    }

    /** config.lua puts every module setting ({@code NAME_load}, {@code NAME_name}, …) in the environment too. */
    boolean exportsModuleSettings() {
        return this == FREEBSD_15;
    }

    /**
     * core.lua turns ACPI on when it starts (an {@code acpi} module to load, {@code hint.acpi.0.disabled=0})
     * unless the environment disables it; 13's does so only on i386.
     */
    public boolean enablesAcpi() {
        return this == FREEBSD_15;
    }

    /**
     * drawer.lua and menu.lua as 15 has them: the logo lower and further left, a narrower and taller box, a
     * "Kernel:" heading, ACPI among the Boot Options, the countdown on line 24; a boot environment chosen
     * unloads what was loaded.
     */
    public boolean drawsMenuOf15() {
        return this == FREEBSD_15;
    }

    /** Why this release's loader would not boot from {@code currdev} of {@code devices}; empty when it would. */
    public java.util.List<String> refusals(userboot4j.dev.Devices devices, String currdev) throws BootException {
        return devices.refusals(currdev, zfsFeatures());
    }

    /** The pool features this release's loader reads (its zfsimpl.c's features_for_read). */
    private FeaturesForRead zfsFeatures() {
        return switch (this) {
            case FREEBSD_13 -> FeaturesForRead.FREEBSD_13;
            case FREEBSD_14 -> FeaturesForRead.FREEBSD_14;
            case FREEBSD_15 -> FeaturesForRead.FREEBSD_15;
        };
    }

    /**
     * Whether a loader of this release prints 15's "BOOT LOADER IS TOO OLD" banner when it runs the Lua
     * scripts of {@code scripts}: 15.1's core.lua asks for a loader of revision 3.0, which 13.2's (1.2) is not.
     */
    public boolean tooOldFor(LoaderRelease scripts) {
        return this == FREEBSD_13 && scripts == FREEBSD_15;
    }

    /** {@code --loader-release}: "13", "13.2", "14.3", "15", "15.1"…; any minor release of a known major. */
    public static LoaderRelease parse(String text) throws BootException.Usage {
        String major = text.trim().toLowerCase(Locale.ROOT).replaceFirst("^freebsd[- ]?", "")
                .replaceFirst("\\.[0-9]+$", "");
        for (LoaderRelease r : values()) {
            if (r.key.equals(major)) {
                return r;
            }
        }
        throw new BootException.Usage("unknown loader release '" + text + "' (13, 14 or 15, e.g. 15.1)");
    }

    @Override
    public String toString() {
        return "FreeBSD " + key;
    }
}
