package userboot4j.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * What a test needs from outside: a tool on the PATH or a fixture in ../shared. When it is missing the
 * test is skipped with a message saying what is missing, except under {@code USERBOOT4J_REQUIRE_ALL=1}
 * (CI), where it fails: nothing may skip there.
 */
public final class Require {
    private Require() {
    }

    static boolean requireAll() {
        return "1".equals(System.getenv("USERBOOT4J_REQUIRE_ALL"));
    }

    private static void need(boolean present, String what) {
        if (!present && requireAll()) {
            throw new AssertionError(what + " is missing and USERBOOT4J_REQUIRE_ALL=1");
        }
        assumeTrue(present, what + " is missing: test skipped");
    }

    /** The tool {@code cmd} must be on the PATH. */
    public static void tool(String cmd) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, cmd))) {
                found = true;
                break;
            }
        }
        need(found, "tool '" + cmd + "'");
    }

    /** Something the test needs that no tool check covers (e.g. permission to make a loop device). */
    public static void condition(boolean present, String what) {
        need(present, what);
    }

    /** The skip reason of a test that needs /dev/kvm on a machine that has none; .ci/run counts these. */
    public static final String NO_KVM = "needs /dev/kvm (none on this machine)";

    /**
     * /dev/kvm must be usable by this process. A machine without the device node skips the test even
     * under {@code USERBOOT4J_REQUIRE_ALL=1}: that is hardware, not a missing install. A device that
     * exists but cannot be opened still fails there.
     */
    public static void kvm() {
        assumeTrue(Files.exists(Paths.get(userboot4j.vmm.kvm.KvmVm.DEVICE)), NO_KVM);
        need(userboot4j.vmm.kvm.KvmVm.available(), "a usable /dev/kvm");
    }

    /** QEMU, the engine that runs guests on every machine (test.sh installs it). */
    public static void qemu() {
        tool(userboot4j.vmm.qemu.QemuVm.BINARY);
    }

    /** ../shared, or the directory USERBOOT4J_SHARED names. */
    public static Path sharedDir() {
        String env = System.getenv("USERBOOT4J_SHARED");
        return (env != null ? Paths.get(env) : Paths.get("..", "shared")).toAbsolutePath().normalize();
    }

    /** A file or directory under ../shared. */
    public static Path sharedFixture(String relative) {
        Path p = sharedDir().resolve(relative);
        need(Files.exists(p), "shared fixture " + p);
        return p;
    }
}
