package userboot4j.loader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import userboot4j.BootException;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;
import userboot4j.fs.FileSystem;

/**
 * Finding files and modules on {@code module_path}, as module.c does: {@code file_search} for names,
 * {@code mod_searchmodule} for module names through each directory's linker.hints, falling back to
 * {@code NAME.ko}. Hints files are read once per directory and kept.
 */
final class ModuleSearch {
    static final String DEFAULT_PATH = "/boot/kernel;/boot/modules";
    /** Extensions tried for KLD names, in order. */
    static final List<String> KLD_EXTENSIONS = List.of(".ko", "", ".debug");

    private final FileSystem fs;
    private final Environment env;
    private final Map<String, LinkerHints> hints = new HashMap<>();
    private final java.util.function.Consumer<String> warnings;

    ModuleSearch(FileSystem fs, Environment env, java.util.function.Consumer<String> warnings) {
        this.fs = fs;
        this.env = env;
        this.warnings = warnings;
    }

    /** The module_path directories: split on ';', trailing slashes dropped (one kept), duplicates dropped. */
    List<String> directories() {
        String path = env.get("module_path");
        if (path == null) {
            path = DEFAULT_PATH;
        }
        List<String> dirs = new ArrayList<>();
        for (String d : path.split(";", -1)) {
            int len = d.length();
            while (len > 1 && d.charAt(len - 1) == '/') {
                len--;
            }
            String dir = d.substring(0, len);
            if (!dirs.contains(dir)) {
                dirs.add(dir);
            }
        }
        return dirs;
    }

    /** True when the name is qualified: it holds a '/' or starts with a device ("host0:"). */
    static boolean hasPath(String name) {
        return name.indexOf('/') >= 0 || name.indexOf(':') >= 0;
    }

    /** file_search: a qualified name is taken if it exists; otherwise each directory and extension is tried. */
    String fileSearch(String name, List<String> extensions) throws BootException {
        if (name.isEmpty()) {
            return name;
        }
        if (hasPath(name)) {
            return exists(name) ? name : null;
        }
        for (String dir : directories()) {
            String found = lookup(dir, name, extensions);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private boolean exists(String path) throws BootException {
        try {
            fs.stat(path);
            return true;
        } catch (BootException.NotFound e) {
            return false;
        }
    }

    /** file_lookup: {@code dir/name+ext} for the first extension naming a regular file. */
    private String lookup(String dir, String name, List<String> extensions) throws BootException {
        String base = dir.isEmpty() || dir.endsWith("/") ? dir + name : dir + "/" + name;
        for (String ext : extensions) {
            if (fs.isRegularFile(base + ext)) {
                return base + ext;
            }
        }
        return null;
    }

    /** mod_searchmodule: the file holding module {@code module} in an acceptable version, or null. */
    String searchModule(String module, Dependency verinfo) throws BootException {
        for (String dir : directories()) {
            LinkerHints h = hints(dir);
            LinkerHints.VersionRecord r = h == null ? null : h.find(module, verinfo);
            if (r != null) {
                String found = lookup(dir, r.file(), List.of(""));
                if (found != null) {
                    return found;
                }
                // A hints record for a missing file ends the search in this directory, with no fallback.
                continue;
            }
            String found = lookup(dir, module, KLD_EXTENSIONS);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private LinkerHints hints(String dir) throws BootException {
        // a plain path reads currdev, which set currdev and the menu's boot environments change
        String key = fs.device() + ":" + dir;
        if (hints.containsKey(key)) {
            return hints.get(key);
        }
        LinkerHints h = null;
        String path = (dir.endsWith("/") ? dir : dir + "/") + "linker.hints";
        try {
            FileStat st = fs.stat(path);
            if (st.isRegular() && st.size() >= 8 && st.size() <= LinkerHints.MAX_SIZE) {
                try (FileData f = fs.open(path)) {
                    byte[] data = new byte[(int) st.size()];
                    f.readFully(0, data.length).get(data);
                    h = LinkerHints.parse(path, data);
                }
            }
        } catch (BootException.NotFound e) {
            h = null;
        } catch (BootException.InvalidFormat e) {
            warnings.accept(e.getMessage() + "; ignoring the hints file");
        }
        hints.put(key, h);
        return h;
    }
}
