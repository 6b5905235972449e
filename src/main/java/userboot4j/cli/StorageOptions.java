package userboot4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** -d and -h for the commands that only read the guest's storage (lsdev, ls, cat). */
final class StorageOptions {
    final List<Path> disks = new ArrayList<>();
    Path hostDir;

    Options addTo(Options o) {
        return o.value("-d", "IMAGE", "a disk image or device, disk0 first (bhyveload -d)", v -> disks.add(Options.path(v)))
                .value("-h", "DIR", "host directory, device host0 (bhyveload -h)", v -> hostDir = Options.path(v));
    }

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
