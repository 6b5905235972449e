package userboot4j.cli;

import java.io.PrintWriter;
import java.io.PrintStream;
import userboot4j.BootException;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileStat;
import userboot4j.fs.FileSystem;

/** {@code userboot4j ls}: a directory of the guest, one name per line. */
final class LsCommand implements Command {
    private final StorageOptions storage = new StorageOptions();
    private boolean longFormat;
    private String path = "/";

    @Override
    public Options options() {
        return storage.addTo(new Options("ls", "List a directory of the guest's file systems ([DEVICE:]PATH)."))
                .flag("-l", "add each entry's type and size", () -> longFormat = true)
                .operand("[DEVICE:]PATH", false, v -> path = v);
    }

    @Override
    public int call(PrintStream stdout, PrintStream err) throws BootException {
        PrintWriter out = new PrintWriter(stdout);
        try (GuestStorage s = GuestStorage.open(storage.disks, storage.hostDir)) {
            String[] dp = StorageOptions.split(path, s);
            try (FileSystem fs = s.fileSystem(dp[0])) {
                for (DirEntry e : fs.readdir(dp[1])) {
                    if (longFormat) {
                        String full = (dp[1].endsWith("/") ? dp[1] : dp[1] + "/") + e.name();
                        long size = e.kind() == FileStat.Kind.SYMLINK ? 0 : fs.stat(full).size();
                        out.printf("%-9s %12d %s%n", e.kind().name().toLowerCase(java.util.Locale.ROOT), size, e.name());
                    } else {
                        out.println(e.name());
                    }
                }
            }
            out.flush();
        }
        return 0;
    }
}
