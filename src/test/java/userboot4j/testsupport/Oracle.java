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
 * FreeBSD 13.2's own userboot.so, run on Linux by ../shared/tools/userboot-oracle's harness exactly as
 * bhyveload drives it. Built once per test run with gcc.
 */
public final class Oracle {
    private static Path harness;
    private static final java.util.Map<String, Path> libs = new java.util.HashMap<>();

    private Oracle() {
    }

    public static Path dir() throws Exception {
        return Require.sharedFixture("tools/userboot-oracle");
    }

    private static synchronized void build() throws Exception {
        if (harness != null) {
            return;
        }
        Require.tool("gcc");
        Path src = dir();
        Path out = Trees.target().resolve("oracle");
        Files.createDirectories(out);
        Path exe = out.resolve("ubharness");
        Processes.run(List.of("gcc", "-O2", "-U_FORTIFY_SOURCE", "-rdynamic", "-o", exe.toString(),
                src.resolve("harness/ubharness.c").toString(), src.resolve("harness/sha256.c").toString(), "-ldl"),
                null);
        harness = exe;
    }

    /**
     * The loader folder {@code name} of the oracle ({@code lib}: FreeBSD 13.2's, {@code lib-15.1}: 15.1's),
     * copied once into target/oracle.
     */
    private static synchronized Path lib(String name) throws Exception {
        Path l = libs.get(name);
        if (l != null) {
            return l;
        }
        // userboot.so in the shared tree is a symbolic link flattened to a text file naming its target.
        l = Trees.target().resolve("oracle").resolve(name);
        Trees.delete(l);
        Files.createDirectories(l);
        for (String so : List.of("userboot_lua.so", "userboot_4th.so")) {
            Files.copy(dir().resolve(name).resolve(so), l.resolve(so), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.createSymbolicLink(l.resolve("userboot.so"), Path.of("userboot_lua.so"));
        libs.put(name, l);
        return l;
    }

    /**
     * A copy of {@code tree} the real loader can boot: FreeBSD's Lua scripts in boot/lua and, if the tree
     * has none, FreeBSD 13.2's boot/defaults/loader.conf from the GENERIC tree.
     */
    public static Path bootable(Path tree, String name) throws Exception {
        Path t = Trees.copy(tree, name);
        Path lua = t.resolve("boot/lua");
        Files.createDirectories(lua);
        try (Stream<Path> s = Files.list(dir().resolve("lua"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, lua.resolve(p.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path defaults = t.resolve("boot/defaults/loader.conf");
        if (!Files.exists(defaults)) {
            Files.createDirectories(defaults.getParent());
            Files.copy(Trees.generic().resolve("boot/defaults/loader.conf"), defaults);
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
        return run("lib", devices, memsize, env, dump);
    }

    /** As {@link #run(List, String, List, Path)}, with the loader of the oracle's folder {@code lib}. */
    public static JsonNode run(String lib, List<String> devices, String memsize, List<String> env, Path dump)
            throws Exception {
        build();
        Path report = Files.createTempFile(Trees.target(), "oracle-", ".json");
        List<String> cmd = new ArrayList<>(List.of(harness.toString(), "-B", lib(lib).toString()));
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
