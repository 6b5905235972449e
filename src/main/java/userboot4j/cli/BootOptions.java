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
        return boot(disks, hostDir, new Userboot.Options(memsize == null ? MemoryLayout.DEFAULT_SIZE
                : MemSize.forGuest(memsize), env, release), err, console);
    }

    /**
     * The boot from these disks and host directory with {@code options} (memory, the -e strings in order, the
     * release if forced), the loader's console on {@code console} if not null.
     */
    static PreparedBoot boot(List<Path> disks, Path hostDir, Userboot.Options options, PrintWriter err,
            userboot4j.loader.Interact.Console console) throws BootException {
        try (Devices devices = Devices.open(disks, hostDir)) {
            String currdev = devices.currdev();
            for (String why : devices.refusals(currdev)) {
                err.println("userboot4j: warning: " + currdev + " " + why);
            }
            err.flush();
            return Userboot.boot(devices, options, console);
        }
    }
}
