package userboot4j.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import userboot4j.BootException;
import userboot4j.dev.Devices;

/** {@code userboot4j ls}: a directory of the guest, one name per line. */
final class LsCommand implements Command {
    private final StorageOptions storage = new StorageOptions();
    private boolean longFormat;
    private String path = "/";

    @Override
    public Spec options() {
        return storage.addTo(new Spec("ls", "List a directory of the guest's file systems ([DEVICE:]PATH)."))
                .flag("-l", "add each entry's type and size", () -> longFormat = true)
                .operand("[DEVICE:]PATH", false, "the directory (default /), as for cat", v -> path = v);
    }

    @Override
    public int call(PrintStream stdout, PrintStream err) throws BootException {
        PrintWriter out = new PrintWriter(stdout);
        try (Devices devices = storage.open()) {
            for (var e : StorageOptions.files(devices).list(path, longFormat)) {
                out.println(longFormat ? String.format("%-9s %12d %s", e.kind(), e.size(), e.name()) : e.name());
            }
            out.flush();
        }
        return 0;
    }
}
