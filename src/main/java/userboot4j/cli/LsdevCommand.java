package userboot4j.cli;

import java.io.PrintStream;
import userboot4j.BootException;
import userboot4j.dev.Devices;

/** {@code userboot4j lsdev}: the devices the loader sees, as its {@code lsdev} command lists them. */
final class LsdevCommand implements Command {
    private final StorageOptions storage = new StorageOptions();
    private boolean verbose;

    @Override
    public Spec options() {
        return storage.addTo(new Spec("lsdev", "List the guest's devices (host, disks and their partitions, ZFS "
                + "pools) as the loader's lsdev does."))
                .flag("-v", "also show partition sizes and pool status", () -> verbose = true);
    }

    @Override
    public int call(PrintStream out, PrintStream err) throws BootException {
        try (Devices devices = storage.open()) {
            devices.lsdev(verbose).forEach(out::println);
            devices.warnings().forEach(w -> err.println("userboot4j: warning: " + w));
            out.flush();
        }
        return 0;
    }
}
