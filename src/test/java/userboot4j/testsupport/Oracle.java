package userboot4j.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * FreeBSD's own userboot.so (13.2's, or 15.1's as a second judge), run on Linux by
 * ../shared/tools/userboot-oracle's harness exactly as bhyveload drives it. Built once per test run with gcc.
 */
public final class Oracle {
    /** A FreeBSD release whose loader the oracle holds: its userboot.so, its Lua scripts, its GENERIC tree. */
    public enum Release {
        FREEBSD_13_2("lib", "lua"),
        FREEBSD_15_1("lib-15.1", "lua-15.1");

        private final String lib;
        private final String lua;

        Release(String lib, String lua) {
            this.lib = lib;
            this.lua = lua;
        }

        /** The release's GENERIC /boot, whose defaults/loader.conf a tree without one gets. */
        public Path generic() throws Exception {
            return this == FREEBSD_13_2 ? Trees.generic() : Trees.generic15();
        }
    }

    private static Path harness;
    private static final java.util.Map<Release, Path> LIBS = new java.util.EnumMap<>(Release.class);

    private Oracle() {
    }

    public static Path dir() throws Exception {
        return Require.sharedFixture("tools/userboot-oracle");
    }

    /** The harness, built once, and {@code release}'s loaders in a directory of their own for its -B. */
    private static synchronized Path build(Release release) throws Exception {
        Require.tool("gcc");
        Path src = dir();
        Path out = Trees.target().resolve("oracle");
        if (harness == null) {
            Files.createDirectories(out);
            Path exe = out.resolve("ubharness");
            Processes.run(List.of("gcc", "-O2", "-U_FORTIFY_SOURCE", "-rdynamic", "-o", exe.toString(),
                    src.resolve("harness/ubharness.c").toString(), src.resolve("harness/sha256.c").toString(), "-ldl"),
                    null);
            harness = exe;
        }
        if (!LIBS.containsKey(release)) {
            // userboot.so in the shared tree may be a symbolic link flattened to a text file naming its target.
            Path l = out.resolve(release.lib);
            Trees.delete(l);
            Files.createDirectories(l);
            for (String so : List.of("userboot_lua.so", "userboot_4th.so")) {
                Files.copy(src.resolve(release.lib).resolve(so), l.resolve(so), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.createSymbolicLink(l.resolve("userboot.so"), Path.of("userboot_lua.so"));
            LIBS.put(release, l);
        }
        return LIBS.get(release);
    }

    /**
     * A copy of {@code tree} FreeBSD 13.2's loader can boot: its Lua scripts in boot/lua and, if the tree
     * has none, its boot/defaults/loader.conf from the GENERIC tree.
     */
    public static Path bootable(Path tree, String name) throws Exception {
        return bootable(Release.FREEBSD_13_2, tree, name);
    }

    /** The same for {@code release}'s loader: its scripts, and its defaults where the tree has none. */
    public static Path bootable(Release release, Path tree, String name) throws Exception {
        Path t = Trees.copy(tree, name);
        Path lua = t.resolve("boot/lua");
        Files.createDirectories(lua);
        try (Stream<Path> s = Files.list(dir().resolve(release.lua))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, lua.resolve(p.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path defaults = t.resolve("boot/defaults/loader.conf");
        if (!Files.exists(defaults)) {
            Files.createDirectories(defaults.getParent());
            Files.copy(release.generic().resolve("boot/defaults/loader.conf"), defaults);
        }
        return t;
    }

    /** Runs the real loader on {@code -h tree} and returns its report; {@code dump} may be null. */
    public static JsonNode run(Path tree, String memsize, List<String> env, Path dump) throws Exception {
        return run(List.of("-h", tree.toString()), memsize, env, dump);
    }

    /**
     * Runs the real loader with bhyveload's device options ({@code -h DIR}, {@code -d IMAGE}…) and any other
     * harness option ({@code -k KEYS}).
     */
    public static JsonNode run(List<String> devices, String memsize, List<String> env, Path dump) throws Exception {
        return run(Release.FREEBSD_13_2, devices, memsize, env, dump);
    }

    /**
     * The same with {@code release}'s loader, driven as FreeBSD 13's bhyveload drives it (a reboot ends the
     * run; userboot4j's bhyveload is 13's), whichever release the loader is.
     */
    public static JsonNode run(Release release, List<String> devices, String memsize, List<String> env, Path dump)
            throws Exception {
        Path lib = build(release);
        Path report = Files.createTempFile(Trees.target(), "oracle-", ".json");
        List<String> cmd = new ArrayList<>(List.of(harness.toString(), "-B", lib.toString()));

        cmd.addAll(devices);
        cmd.addAll(List.of("-m", memsize, "-q", "-j", report.toString(), "--timeout", "60"));
        for (String e : env) {
            cmd.add("-e");
            cmd.add(e);
        }
        if (dump != null) {
            cmd.add("--dump");
            cmd.add(dump.toString());
        }
        Processes.run(cmd, null);
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        Files.delete(report);
        return r;
    }
}
