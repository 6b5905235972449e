package userboot4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import userboot4j.BootException;
import userboot4j.dev.Devices;
import userboot4j.loader.LoaderRelease;
import userboot4j.loader.PreparedBoot;
import userboot4j.loader.Userboot;
import userboot4j.memory.MemoryLayout;

/** The options every command that prepares a boot shares, with bhyveload's meanings. */
final class BootOptions {
    private Path hostDir;
    private final List<Path> disks = new ArrayList<>();
    private String memsize;
    private final List<String> env = new ArrayList<>();
    private LoaderRelease release;

    Spec addTo(Spec o) {
        return o.file("-h", "DIR", "host directory holding the guest's /boot (bhyveload -h)", v -> hostDir = v)
                .file("-d", "IMAGE", "a disk image or device, disk0 first (bhyveload -d)", disks::add)
                .value("-m", "SIZE", "guest memory, bhyveload syntax (default 256M)", v -> memsize = v)
                .value("-e", "NAME=VALUE", "add to the loader's environment", env::add)
                .value("--loader-release", "X.Y", "decide as FreeBSD X's loader does (13, 14, 15), not as the "
                        + "guest's /boot/lua says", v -> release = LoaderRelease.parse(v));
    }

    /** The -d disks in order. */
    List<Path> disks() {
        return List.copyOf(disks);
    }

    /**
     * The boot the FreeBSD loader would prepare with these options, the loader's console (its countdown and
     * prompt) on {@code console} if not null. Where FreeBSD's loader would refuse the boot device (a pool on
     * {@code file} vdevs, a feature it cannot read, a UFS2 superblock it does not look for), {@code err} is told
     * why.
     */
    PreparedBoot boot(PrintWriter err, userboot4j.loader.Interact.Console console) throws BootException {
        return boot(disks, hostDir, options(), err, console);
    }

    /** The boot, judged by the loader of {@code judge} rather than of the release the boot followed. */
    Judged judge(userboot4j.loader.Interact.Console console, LoaderRelease judge) throws BootException {
        return judge(disks, hostDir, options(), console, judge);
    }

    private Userboot.Options options() throws BootException {
        return new Userboot.Options(memsize == null ? MemoryLayout.DEFAULT_SIZE : MemSize.forGuest(memsize), env,
                release);
    }

    /**
     * A boot (null when it failed), the release whose loader judged it, the release of the guest's scripts,
     * and why the judge would not make it: the boot device's refusals, then the boot's own error.
     */
    record Judged(PreparedBoot prepared, LoaderRelease judge, LoaderRelease scripts, List<String> refusals) {
        /** Whether the judge prints 15's "BOOT LOADER IS TOO OLD" banner over the guest's scripts. */
        boolean tooOld() {
            return judge.tooOldFor(scripts);
        }
    }

    /** The boot with {@code options}, judged by {@code judge}'s loader; a failed boot is one more reason. */
    static Judged judge(List<Path> disks, Path hostDir, Userboot.Options options,
            userboot4j.loader.Interact.Console console, LoaderRelease judge) throws BootException {
        try (Devices devices = Devices.open(disks, hostDir)) {
            LoaderRelease scripts = Userboot.release(devices, options).release();
            List<String> refusals = new ArrayList<>(refusals(devices, judge));
            PreparedBoot prepared = null;
            try {
                prepared = Userboot.boot(devices, options, console);
            } catch (BootException e) {
                refusals.add(e.getMessage()); // a boot that fails here fails for the judged loader as well
            }
            return new Judged(prepared, judge, scripts, refusals);
        }
    }

    /**
     * The boot from these disks and host directory with {@code options} (memory, the -e strings in order, the
     * release if forced), the loader's console on {@code console} if not null. Where the loader of the
     * release the boot follows would refuse the boot device, {@code err} is told why first.
     */
    static PreparedBoot boot(List<Path> disks, Path hostDir, Userboot.Options options, PrintWriter err,
            userboot4j.loader.Interact.Console console) throws BootException {
        try (Devices devices = Devices.open(disks, hostDir)) {
            for (String why : refusals(devices, Userboot.release(devices, options).release())) {
                err.println("userboot4j: warning: " + why);
            }
            err.flush();
            return Userboot.boot(devices, options, console);
        }
    }

    /** Why {@code by}'s loader would not boot from userboot's currdev, each line naming it. */
    private static List<String> refusals(Devices devices, LoaderRelease by) throws BootException {
        String currdev = devices.currdev();
        return by.refusals(devices, currdev).stream().map(why -> currdev + " " + why).toList();
    }
}
