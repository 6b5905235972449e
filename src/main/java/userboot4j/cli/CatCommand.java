package userboot4j.cli;

import java.io.PrintStream;
import userboot4j.BootException;
import userboot4j.dev.Devices;

/** {@code userboot4j cat}: a file of the guest, raw bytes to standard output. */
final class CatCommand implements Command {
    private final StorageOptions storage = new StorageOptions();
    private String path;

    @Override
    public Spec options() {
        return storage.addTo(new Spec("cat", "Copy a file of the guest's file systems ([DEVICE:]PATH) to standard output."))
                .operand("[DEVICE:]PATH", true, "the file: PATH on the device the loader boots from, or on DEVICE "
                        + "(disk0p2:, zfs:POOL/DATASET:, host0:)", v -> path = v);
    }

    @Override
    public int call(PrintStream out, PrintStream err) throws BootException {
        try (Devices devices = storage.open()) {
            out.flush();
            // Standard output as a channel lets the kernel copy straight from the image.
            StorageOptions.files(devices).copy(path, out == System.out
                    ? new java.io.FileOutputStream(java.io.FileDescriptor.out).getChannel()
                    : java.nio.channels.Channels.newChannel(out));
            out.flush();
        }
        return 0;
    }
}
