package userboot4j.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stand-in libvmmapi of src/test/c/vmmapi_stub.c, built with gcc once per test run for each
 * generation, its call log parsed, and bhyveload's callbacks restated so that what the loader asked for
 * (the oracle's {@code events}) can be turned into the libvmmapi calls bhyveload makes for it. Register
 * numbers are named by the oracle harness's own table of enum vm_reg_name, not by ours.
 */
public final class VmmapiStub {
    /** How the library is built: FreeBSD 13's, 14's or 15's, or one missing the register set-up. */
    public enum Build {
        FBSD13(), FBSD14("-DVCPU_HANDLE"), FBSD15("-DVCPU_HANDLE", "-DVMMCTL"),
        WITHOUT_SETUP("-DVCPU_HANDLE", "-DWITHOUT_SETUP", "-Wno-unused-function");

        final List<String> flags;

        Build(String... flags) {
            this.flags = List.of(flags);
        }
    }

    /** One logged call: the function and its arguments by name. */
    public record Call(String name, Map<String, String> args) {
        public String arg(String key) {
            String v = args.get(key);
            if (v == null) {
                throw new AssertionError(name + " logged no " + key + ": " + args);
            }
            return v;
        }

        public long number(String key) {
            return parse(arg(key));
        }
    }

    private static final Map<Build, Path> BUILT = new EnumMap<>(Build.class);
    private static List<String> regNames;

    private VmmapiStub() {
    }

    /** The directory holding libvmmapi.so of {@code build}, built on first use. */
    public static synchronized Path library(Build build) throws Exception {
        Path dir = BUILT.get(build);
        if (dir == null) {
            Require.tool("gcc");
            dir = Trees.target().resolve("vmmapi-stub").resolve(build.name().toLowerCase());
            Files.createDirectories(dir);
            List<String> cmd = new ArrayList<>(List.of("gcc", "-Wall", "-Wextra", "-Werror", "-O1", "-shared", "-fPIC"));
            cmd.addAll(build.flags);
            cmd.addAll(List.of("-o", dir.resolve("libvmmapi.so").toString(),
                    Paths.get("src/test/c/vmmapi_stub.c").toAbsolutePath().toString()));
            Processes.run(cmd, null);
            BUILT.put(build, dir);
        }
        return dir;
    }

    /** The calls in the log, in order. */
    public static List<Call> parse(Path log) throws Exception {
        List<Call> calls = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            String[] words = line.split(" ");
            Map<String, String> args = new LinkedHashMap<>();
            for (int i = 1; i < words.length; i++) {
                int eq = words[i].indexOf('=');
                args.put(words[i].substring(0, eq), words[i].substring(eq + 1));
            }
            calls.add(new Call(words[0], args));
        }
        return calls;
    }

    /** enum vm_reg_name as the oracle harness (../shared/tools/userboot-oracle) spells it, by number. */
    public static synchronized List<String> regNames() throws Exception {
        if (regNames == null) {
            String c = Files.readString(Oracle.dir().resolve("harness/ubharness.c"));
            Matcher table = Pattern.compile("regnames\\[\\] = \\{([^}]*)\\}").matcher(c);
            if (!table.find()) {
                throw new AssertionError("no regnames table in ubharness.c");
            }
            List<String> names = new ArrayList<>();
            Matcher m = Pattern.compile("\"([A-Z0-9_]+)\"").matcher(table.group(1));
            while (m.find()) {
                names.add(m.group(1));
            }
            regNames = names;
        }
        return regNames;
    }

    /** The loader's register callbacks from an oracle report, as "op arg…" lines. */
    public static List<String> oracleEvents(JsonNode report) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : report.path("events")) {
            switch (e.path("op").asText()) {
                case "setreg" -> out.add("setreg " + e.path("reg").asInt() + " " + e.path("value").asText());
                case "setmsr" -> out.add("setmsr " + e.path("msr").asText() + " " + e.path("value").asText());
                case "setcr" -> out.add("setcr " + e.path("cr").asInt() + " " + e.path("value").asText());
                case "setgdt" -> out.add("setgdt " + e.path("base").asText() + " " + e.path("size").asLong());
                case "exec" -> out.add("exec " + e.path("rip").asText());
                default -> {
                }
            }
        }
        return out;
    }

    /**
     * What bhyveload's cb_setreg, cb_setmsr, cb_setcr, cb_setgdt and cb_exec call for these loader
     * callbacks (usr.sbin/bhyveload/bhyveload.c), as {@link #registerCalls} writes them.
     */
    public static List<String> bhyveloadCalls(List<String> events) {
        List<String> out = new ArrayList<>();
        long cr3 = 0;
        long gdtbase = 0;
        long rsp = 0;
        for (String e : events) {
            String[] w = e.split(" ");
            switch (w[0]) {
                case "setreg" -> {
                    if (!w[1].equals("4")) {
                        throw new AssertionError("bhyveload refuses " + e);
                    }
                    rsp = parse(w[2]);
                    out.add("vm_set_register RSP " + hex(rsp));
                }
                case "setmsr" -> {
                    if (parse(w[1]) != 0xc0000080L) {
                        throw new AssertionError("bhyveload refuses " + e);
                    }
                    out.add("vm_set_register EFER " + hex(parse(w[2])));
                }
                case "setcr" -> {
                    if (w[1].equals("3")) {
                        cr3 = parse(w[2]);
                    }
                    out.add("vm_set_register CR" + w[1] + " " + hex(parse(w[2])));
                }
                case "setgdt" -> {
                    gdtbase = parse(w[1]);
                    out.add("vm_set_desc GDTR " + hex(gdtbase) + " " + hex(Long.parseLong(w[2]) - 1) + " 0x0");
                }
                case "exec" -> {
                    long rip = parse(w[1]);
                    out.add(cr3 == 0
                            ? "vm_setup_freebsd_registers_i386 " + hex(rip & 0xffffffffL) + " " + hex(gdtbase) + " " + hex(rsp)
                            : "vm_setup_freebsd_registers " + hex(rip) + " " + hex(cr3) + " " + hex(gdtbase) + " " + hex(rsp));
                }
                default -> throw new AssertionError(e);
            }
        }
        return out;
    }

    /**
     * The logged register calls in {@link #bhyveloadCalls}'s form. Each must be for the boot vCPU (0) through
     * a handle the library gave out; anything else is written so that it cannot match.
     */
    public static List<String> registerCalls(List<Call> calls) throws Exception {
        List<String> names = regNames();
        List<String> out = new ArrayList<>();
        for (Call c : calls) {
            if (!c.name().startsWith("vm_set_register") && !c.name().startsWith("vm_set_desc")
                    && !c.name().startsWith("vm_setup_freebsd_registers")) {
                continue;
            }
            String handle = c.args().getOrDefault("vcpu", c.args().get("ctx"));
            String who = "ok".equals(handle) && "0".equals(c.args().get("vcpuid")) ? "" : " on " + c.args();
            String reg = c.args().containsKey("reg") ? names.get(Integer.parseInt(c.arg("reg"))) : null;
            out.add(switch (c.name()) {
                case "vm_set_register" -> "vm_set_register " + reg + " " + c.arg("val");
                case "vm_set_desc" -> "vm_set_desc " + reg + " " + c.arg("base") + " " + c.arg("limit") + " " + c.arg("access");
                case "vm_setup_freebsd_registers" -> c.name() + " " + c.arg("rip") + " " + c.arg("cr3") + " "
                        + c.arg("gdtbase") + " " + c.arg("rsp");
                default -> c.name() + " " + c.arg("eip") + " " + c.arg("gdtbase") + " " + c.arg("esp");
            } + who);
        }
        return out;
    }

    /** The vCPU as the stub left it after vm_setup_freebsd_registers*, registers by name: "0x…". */
    public static Map<String, String> finalRegisters(List<Call> calls) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (Call c : calls) {
            if (c.name().equals("state") && c.args().containsKey("reg")) {
                out.put(regNames().get(Integer.parseInt(c.arg("reg"))), c.arg("val"));
            }
        }
        return out;
    }

    /** The descriptors as the stub left them: name → "base limit access". */
    public static Map<String, String> finalDescriptors(List<Call> calls) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (Call c : calls) {
            if (c.name().equals("state") && c.args().containsKey("desc")) {
                out.put(regNames().get(Integer.parseInt(c.arg("desc"))),
                        c.arg("base") + " " + c.arg("limit") + " " + c.arg("access"));
            }
        }
        return out;
    }

    /**
     * The first {@code length} bytes of the stub's guest memory equal those of {@code reference} (a sparse
     * dump, each page at its guest physical offset; bytes past its end are zero).
     */
    public static void assertSameMemory(Path stubMemory, Path reference, long length) throws Exception {
        int chunk = 1 << 20;
        try (java.nio.channels.FileChannel a = java.nio.channels.FileChannel.open(stubMemory);
                java.nio.channels.FileChannel b = java.nio.channels.FileChannel.open(reference)) {
            java.nio.ByteBuffer x = java.nio.ByteBuffer.allocate(chunk);
            java.nio.ByteBuffer y = java.nio.ByteBuffer.allocate(chunk);
            for (long off = 0; off < length; off += chunk) {
                x.clear();
                y.clear();
                java.util.Arrays.fill(y.array(), (byte) 0);
                a.read(x, off);
                b.read(y, off);
                if (!java.util.Arrays.equals(x.array(), y.array())) {
                    int i = java.util.Arrays.mismatch(x.array(), y.array());
                    throw new AssertionError(String.format("guest memory differs at 0x%x", off + i));
                }
            }
        }
    }

    /** A number as C prints it: decimal, or "0x" and up to 64 bits of hex. */
    public static long parse(String s) {
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
