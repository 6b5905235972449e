package userboot4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import userboot4j.BootException;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileStat;
import userboot4j.fs.FileSystem;

/** {@code userboot4j ls}: a directory of the guest, one name per line. */
@Command(name = "ls", description = "List a directory of the guest's file systems ([DEVICE:]PATH).")
final class LsCommand implements Callable<Integer> {
    @Mixin
    StorageOptions storage;

    @Option(names = "-l", description = "add each entry's type and size")
    boolean longFormat;

    @Parameters(paramLabel = "[DEVICE:]PATH", defaultValue = "/")
    String path;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws BootException {
        PrintWriter out = spec.commandLine().getOut();
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
