package userboot4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** -d and -h for the commands that only read the guest's storage (lsdev, ls, cat). */
final class StorageOptions {
    @Option(names = "-d", paramLabel = "IMAGE", description = "a disk image or device, disk0 first (bhyveload -d)")
    List<Path> disks = new ArrayList<>();

    @Option(names = "-h", paramLabel = "DIR", description = "host directory, device host0 (bhyveload -h)")
    Path hostDir;

    @Option(names = "--debug", description = "print stack traces on errors")
    boolean debug;

    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    /** [DEVICE:]PATH split into a device (currdev when absent) and a path; zfs:POOL/DATASET: is one device. */
    static String[] split(String spec, GuestStorage storage) throws userboot4j.BootException {
        boolean zfs = spec.startsWith("zfs:");
        int colon = spec.indexOf(':', zfs ? 4 : 0);
        if (colon > 0 && (zfs || spec.indexOf('/') > colon)) {
            return new String[] {spec.substring(0, colon), spec.substring(colon + 1)};
        }
        return new String[] {storage.currdev(), spec};
    }
}
