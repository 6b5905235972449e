package userboot4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import userboot4j.BootException;
import userboot4j.fs.FileData;
import userboot4j.fs.FileSystem;

/** {@code userboot4j cat}: a file of the guest, raw bytes to standard output. */
@Command(name = "cat", description = "Copy a file of the guest's file systems ([DEVICE:]PATH) to standard output.")
final class CatCommand implements Callable<Integer> {
    @Mixin
    StorageOptions storage;

    @Parameters(paramLabel = "[DEVICE:]PATH")
    String path;

    @picocli.CommandLine.ParentCommand
    Main main;

    @Override
    public Integer call() throws BootException {
        try (GuestStorage s = GuestStorage.open(storage.disks, storage.hostDir)) {
            String[] dp = StorageOptions.split(path, s);
            OutputStream out = main.stdout;
            try (FileSystem fs = s.fileSystem(dp[0]); FileData f = fs.open(dp[1])) {
                out.flush();
                // Standard output as a channel lets the kernel copy straight from the image.
                f.transferTo(out == System.out ? new java.io.FileOutputStream(java.io.FileDescriptor.out).getChannel()
                        : java.nio.channels.Channels.newChannel(out));
                out.flush();
            } catch (IOException e) {
                throw new BootException.Io("standard output: " + e.getMessage(), e);
            }
        }
        return 0;
    }
}
