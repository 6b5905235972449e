package userboot4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import userboot4j.BootException;
import userboot4j.dev.Devices;
import userboot4j.dev.Devopen;

/** -d and -h for the commands that only read the guest's storage (lsdev, ls, cat). */
final class StorageOptions {
    final List<Path> disks = new ArrayList<>();
    Path hostDir;

    Spec addTo(Spec o) {
        return o.file("-d", "IMAGE", "a disk image or device, disk0 first (bhyveload -d)", disks::add)
                .file("-h", "DIR", "host directory, device host0 (bhyveload -h)", v -> hostDir = v);
    }

    Devices open() throws BootException {
        return Devices.open(disks, hostDir);
    }

    /** The loader's files: {@code DEVICE:PATH} on that device, a plain path on the currdev userboot picks. */
    static Devopen files(Devices devices) throws BootException {
        String currdev = devices.currdev();
        return new Devopen(devices, () -> currdev);
    }
}
