package userboot4j.loader;

import java.util.regex.Pattern;
import userboot4j.BootException;
import userboot4j.fs.FileSystem;

/**
 * The release profile a boot follows, and why. It comes from the guest's {@code /boot/lua/config.lua}: the
 * loader, userboot.so as much as the guest's own /boot/loader, runs the guest's Lua scripts, and those
 * scripts are where the releases differ (FreeBSD 15.1's userboot.so with 13.2's scripts boots exactly as
 * 13.2's does). Each profile is recognised by what its config.lua does first; docs/LOADER-NOTES.md.
 */
public record ReleaseChoice(LoaderRelease release, String reason) {
    static final String CONFIG_LUA = "/boot/lua/config.lua";
    /** 15's config.lua hands each module setting to the environment as it records it. */
    private static final Pattern EXPORTS_MODULE_SETTINGS = Pattern.compile("setEnv\\(\\s*k\\s*\\.\\.\\s*\"_load\"");
    /** 14.1's config.lua reads the files this variable names after every other one. */
    private static final String LOCAL_CONF_FILES = "local_loader_conf_files";

    /** The release the user named ({@code --loader-release}). */
    public static ReleaseChoice forced(LoaderRelease release) {
        return new ReleaseChoice(release, "--loader-release " + release.reference());
    }

    /** The release whose config.lua {@code fs} (the boot device) holds; 13 when it has none. */
    static ReleaseChoice of(FileSystem fs) throws BootException {
        String where = fs.device() + ":" + CONFIG_LUA;
        String script = Config.read(fs, CONFIG_LUA);
        if (script == null) {
            return new ReleaseChoice(LoaderRelease.FREEBSD_13, "no " + where + "; FreeBSD 13.2's loader as before");
        }
        if (EXPORTS_MODULE_SETTINGS.matcher(script).find()) {
            return new ReleaseChoice(LoaderRelease.FREEBSD_15, where + " puts module settings in the environment");
        }
        if (script.contains(LOCAL_CONF_FILES)) {
            return new ReleaseChoice(LoaderRelease.FREEBSD_14, where + " reads " + LOCAL_CONF_FILES);
        }
        return new ReleaseChoice(LoaderRelease.FREEBSD_13, where + " reads neither " + LOCAL_CONF_FILES
                + " nor exports module settings");
    }
}
