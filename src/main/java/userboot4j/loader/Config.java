package userboot4j.loader;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import userboot4j.BootException;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;

/**
 * What FreeBSD's {@code stand/lua/config.lua} does with the guest's configuration: reads
 * /boot/defaults/loader.conf, then every file named by {@code loader_conf_files} (recursively, each once),
 * the {@code *.conf} files of {@code loader_conf_dirs} (from 14.1, also those of the product directories
 * and then the {@code local_loader_conf_files}) and a pending nextboot.conf; then loads the kernel and the
 * modules marked {@code _load="YES"}. What differs by release is asked of the {@link LoaderRelease}.
 */
final class Config implements LoaderConf.Sink {
    static final String DEFAULTS = "/boot/defaults/loader.conf";
    /** config.lua keeps this one out of the environment: it only steers which files are read. */
    private static final String CONF_FILES = "loader_conf_files";
    /** Config files larger than this are refused rather than read into memory. */
    private static final int MAX_CONF_SIZE = 1 << 20;
    private static final java.util.regex.Pattern MODULE_NAME = java.util.regex.Pattern.compile("[-A-Za-z0-9_]+");

    private static final String PRODUCT_CONF_DIR = "/boot/loader.conf.d/";

    private final Loader loader;
    private final Environment env;
    private final LoaderRelease release;
    /** Module entries in the order their first line appeared (Lua's own order is its hash order). */
    private final Map<String, ModuleEntry> modules = new LinkedHashMap<>();
    private String confFiles;
    /** config.lua's env_restore: each variable's value before the configuration first set it (null: unset). */
    private final Map<String, String> restore = new HashMap<>();
    /** config.lua's env_changed: the value the configuration last gave each variable. */
    private final Map<String, String> changed = new HashMap<>();
    /** config.lua's kernel_selected: the menu's or {@code boot KERNEL}'s choice, loaded instead of {@code kernel}. */
    private String selectedKernel;

    Config(Loader loader, LoaderRelease release) {
        this.loader = loader;
        this.env = loader.env();
        this.release = release;
    }

    /**
     * config.reload: the variables the configuration set go back to what they were (unless something else
     * changed them since), the modules are forgotten, and the configuration is read again.
     */
    void reload() throws BootException {
        modules.clear();
        changed.forEach((name, value) -> {
            if (java.util.Objects.equals(env.get(name), value)) {
                if (restore.get(name) != null) {
                    env.set(name, restore.get(name));
                } else {
                    env.unset(name);
                }
            }
        });
        changed.clear();
        restore.clear();
        load();
    }

    /** config.load: the defaults and everything they lead to, then the nextboot file. */
    void load() throws BootException {
        readConf(DEFAULTS, new HashSet<>());
        checkNextboot();
    }

    private void readConf(String file, Set<String> loaded) throws BootException {
        if (loaded.contains(file)) {
            return;
        }
        boolean topLevel = loaded.isEmpty();
        loader.message("Loading " + file);
        confFiles = null;
        String text = read(file);
        if (text != null && !LoaderConf.parse(text, this)) {
            loader.error("Failed to parse config: '" + file + "'");
        }
        loaded.add(file);
        if (confFiles != null) {
            for (String name : confFiles.trim().split("\\s+")) {
                if (!name.isEmpty()) {
                    readConf(name, loaded);
                }
            }
        }
        if (topLevel) {
            String dirs = env.get("loader_conf_dirs");
            if (release.readsLocalAndProductFiles()) {
                dirs = withProductDirs(dirs);
            }
            if (dirs != null) {
                for (String dir : dirs.trim().split("\\s+")) {
                    readConfDir(dir, loaded);
                }
            }
            String local = release.readsLocalAndProductFiles() ? env.get("local_loader_conf_files") : null;
            if (local != null) {
                for (String name : local.trim().split("\\s+")) {
                    if (!name.isEmpty()) {
                        readConf(name, loaded);
                    }
                }
            }
        }
    }

    /**
     * {@code loader_conf_dirs} followed by /boot/loader.conf.d/PRODUCT for each variable {@code product_vars}
     * names that is set (smbios.system.product, …), in that order.
     */
    private String withProductDirs(String dirs) {
        String vars = env.get("product_vars");
        if (vars == null) {
            return dirs;
        }
        StringBuilder products = new StringBuilder();
        for (String var : vars.trim().split("\\s+")) {
            String product = var.isEmpty() ? null : env.get(var);
            if (product != null) {
                products.append(' ').append(PRODUCT_CONF_DIR).append(product);
            }
        }
        return dirs == null ? products.toString() : dirs + products;
    }

    private void readConfDir(String dir, Set<String> loaded) throws BootException {
        if (dir.isEmpty()) {
            return;
        }
        if (!isDirectory(dir)) {
            loader.error("Failed to load conf dir '" + dir + "': not a directory");
            return;
        }
        for (DirEntry e : loader.fs().readdir(dir)) {
            // config.lua matches ".conf$" as a Lua pattern, where '.' is any character.
            if (e.name().length() > 4 && e.name().endsWith("conf")) {
                String path = dir + "/" + e.name();
                if (loader.fs().isRegularFile(path)) {
                    readConf(path, loaded);
                }
            }
        }
    }

    private boolean isDirectory(String path) throws BootException {
        try {
            return loader.fs().stat(path).isDirectory();
        } catch (BootException.NotFound e) {
            return false;
        }
    }

    /** checkNextboot: a nextboot.conf that is enabled is read; the loader then turns it off. */
    private void checkNextboot() throws BootException {
        String file = env.get("nextboot_conf");
        String enable = env.get("nextboot_enable");
        if (file == null || "NO".equals(enable)) {
            return;
        }
        String text = read(file);
        if (text == null) {
            return;
        }
        if (enable == null && text.startsWith("nextboot_enable=\"NO\"")) {
            return;
        }
        if (!LoaderConf.parse(text, this)) {
            loader.error("Failed to parse config: '" + file + "'");
        }
        // The C loader rewrites the file's first line here; our devices are read-only, as its host
        // device is, so only the environment records that nextboot has been used.
        env.set("nextboot_enable", "NO");
    }

    private String read(String path) throws BootException {
        return read(loader.fs(), path);
    }

    /** The file's text, or null when it does not exist (config files and scripts may be absent). */
    static String read(userboot4j.fs.FileSystem fs, String path) throws BootException {
        FileStat st;
        try {
            st = fs.stat(path);
        } catch (BootException.NotFound e) {
            return null;
        }
        if (!st.isRegular()) {
            return null;
        }
        if (st.size() > MAX_CONF_SIZE) {
            throw new BootException.InvalidFormat(path + ": configuration file of " + st.size()
                    + " bytes is larger than the " + MAX_CONF_SIZE + " bytes accepted");
        }
        try (FileData f = fs.open(path)) {
            byte[] b = new byte[(int) f.size()];
            f.readFully(0, b.length).get(b);
            return new String(b, StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void moduleProperty(String module, String property, String value) {
        ModuleEntry m = modules.computeIfAbsent(module, ModuleEntry::new);
        switch (property) {
            case "load" -> m.load = value;
            case "name" -> m.name = value;
            case "type" -> m.type = value;
            case "flags" -> m.flags = value;
            case "before" -> m.before = value;
            case "after" -> m.after = value;
            case "error" -> m.error = value;
            default -> throw new IllegalArgumentException(property);
        }
        if (release.exportsModuleSettings()) {
            setEnv(module + "_" + property, value);
        }
    }

    /**
     * config.enableModule and disableModule (core.lua's ACPI switch): an enabled module is loaded even if
     * module_blacklist names it; disabling touches only a module that is there and enabled.
     */
    void enableModule(String name, boolean on) {
        ModuleEntry m = modules.get(name);
        if (on) {
            m = modules.computeIfAbsent(name, ModuleEntry::new);
            m.load = "YES";
            m.force = true;
        } else if (m != null && m.enabled()) {
            m.load = "NO";
            m.force = false;
        }
    }

    @Override
    public void exec(String command) {
        try {
            loader.command(command);
        } catch (BootException e) {
            loader.error("Failed to exec '" + command + "': " + e.getMessage());
        }
    }

    @Override
    public void assign(String name, String rawValue) {
        String[] error = new String[1];
        String value = LoaderConf.expand(rawValue, env, error);
        if (value == null) {
            loader.error("Failed to parse variable '" + name + "': " + error[0]);
        } else if (name.equals(CONF_FILES)) {
            confFiles = value;
        } else {
            setEnv(name, value);
        }
    }

    /** config.lua's setEnv: the variable set, its first value kept for a reload. */
    private void setEnv(String name, String value) {
        if (!restore.containsKey(name)) {
            restore.put(name, env.get(name));
        }
        changed.put(name, value);
        env.set(name, value);
    }

    @Override
    public void malformed(int lineNumber, String line) {
        loader.error("Malformed line (" + lineNumber + "):\n\t'" + line + "'");
    }

    /** A hint when the device's root is itself a /boot (the commonest mistake: -h naming the guest's /boot). */
    private String bootDirectoryGiven() throws BootException {
        boolean looksLikeBoot = loader.fs().isRegularFile("/kernel/kernel")
                || loader.fs().isRegularFile("/defaults/loader.conf");
        return looksLikeBoot ? "; " + loader.fs().device() + " looks like the guest's /boot itself: give the directory"
                + " or disk holding boot/ (the guest's root)" : "";
    }

    /**
     * config.loadKernel: with a kernel selected, or else {@code kernel} set (the defaults set "kernel"), each bootfile name is tried as
     * a module with module_path set to /boot/KERNEL, then KERNEL; the directory that worked is put in
     * front of module_path and kept as kernel_path. Failing that, KERNEL itself is tried as a file.
     */
    void loadKernel() throws BootException {
        loader.message("Loading kernel...");
        String flags = env.get("kernel_options");
        String kernel = selectedKernel != null ? selectedKernel : env.get("kernel");
        if (kernel == null) {
            if (!loadBootfile(flags)) {
                String path = env.get("module_path");
                throw new BootException.NotFound("can't find a kernel: "
                        + (path == null ? "nothing sets kernel or module_path (no /boot/defaults/loader.conf)"
                                : "no bootfile (" + bootfiles() + ") in module_path " + path)
                        + bootDirectoryGiven());
            }
            return;
        }
        String modulePath = modulePathWithoutKernel();
        for (String dir : List.of("/boot/" + kernel, kernel)) {
            env.set("module_path", dir);
            if (loadBootfile(flags)) {
                if (modulePath != null) {
                    env.set("module_path", dir + ";" + modulePath);
                    env.set("kernel_path", dir);
                }
                return;
            }
        }
        if (!tryLoad(kernel, flags)) {
            throw new BootException.NotFound("can't load kernel '" + kernel + "': no bootfile (" + bootfiles()
                    + ") in /boot/" + kernel + " or " + kernel + ", and no file of that name");
        }
    }

    /**
     * config.loadelf as the menu, the prompt's {@code boot} and a console's start run it: the kernel, then the
     * modules; a kernel that cannot be found is reported in config.lua's words and nothing more is loaded.
     */
    void loadelf() throws BootException {
        try {
            loadKernel();
        } catch (BootException.NotFound e) {
            String kernel = selectedKernel != null ? selectedKernel : env.get("kernel");
            loader.error(kernel == null ? "No kernel set, failed to load from module_path"
                    : "Failed to load kernel '" + kernel + "'");
            return;
        }
        loadModules();
    }

    /** config.selectKernel: the kernel {@code boot KERNEL} names, used instead of {@code kernel}, which stays. */
    void selectKernel(String kernel) {
        selectedKernel = kernel;
    }

    private String modulePathWithoutKernel() {
        String modulePath = env.get("module_path");
        String kernelPath = env.get("kernel_path");
        if (modulePath == null || kernelPath == null) {
            return modulePath;
        }
        return modulePath.replace(kernelPath + ";", "");
    }

    private String bootfiles() {
        String bootfile = env.get("bootfile");
        return bootfile == null ? "kernel" : bootfile + ";kernel";
    }

    private boolean loadBootfile(String flags) throws BootException {
        for (String name : bootfiles().split(";")) {
            if (!name.isBlank() && tryLoad(name.trim(), flags)) {
                return true;
            }
        }
        return false;
    }

    /** One {@code load NAME FLAGS}; a kernel that is not there is a miss, a bad one an error. */
    private boolean tryLoad(String name, String flags) throws BootException {
        try {
            loader.command("load " + name + " " + (flags == null ? "" : flags));
            return loader.findFile(null, PreloadedFile.ELF_KERNEL) != null;
        } catch (BootException.NotFound e) {
            return false;
        }
    }

    /**
     * config.lua's loadModule: every enabled module not on {@code module_blacklist}, with its before, load,
     * error and after commands. A module that fails to load is reported as the loader's command error,
     * its error command runs, and the boot goes on without it.
     */
    void loadModules() throws BootException {
        loader.message("Loading configured modules...");
        Set<String> blacklist = new HashSet<>();
        String bl = env.get("module_blacklist");
        if (bl != null) {
            java.util.regex.Matcher m = MODULE_NAME.matcher(bl);
            while (m.find()) {
                blacklist.add(m.group());
            }
        }
        // config.lua is silent about each module unless verbose_loading is YES
        boolean verbose = "yes".equalsIgnoreCase(env.get("verbose_loading"));
        for (ModuleEntry m : modules.values()) {
            if (!m.enabled()) {
                continue;
            }
            if (!m.force && m.type == null && blacklist.contains(m.loadName())) {
                if (verbose) {
                    loader.message("Not loading blacklisted module '" + m.loadName() + "'");
                }
                continue;
            }
            if (verbose) {
                loader.printc(m.loadName() + "...");
            }
            if (m.before != null) {
                exec(m.before);
            }
            try {
                loader.command(m.loadCommand());
            } catch (BootException.AccessDenied e) {
                throw e; // ours: a name that leaves the host directory ends the boot instead of being read
            } catch (BootException e) {
                loader.error(e.getMessage());
                if (verbose) {
                    loader.message("failed!");
                }
                if (m.error != null) {
                    exec(m.error);
                }
                continue;
            }
            if (m.after != null) {
                exec(m.after);
                if (verbose) {
                    loader.message("ok");
                }
            }
        }
    }
}
