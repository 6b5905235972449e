package userboot4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import userboot4j.loader.PreparedBoot;

/** For tests outside this package: the boot `inspect` and `run` prepare from {@code -d} disks. */
public final class TestBoot {
    private TestBoot() {
    }

    /** The boot for these disks and memory size; FreeBSD-loader refusals must not be among the warnings. */
    public static PreparedBoot boot(List<Path> disks, String memsize) throws Exception {
        StringWriter err = new StringWriter();
        PreparedBoot prepared = BootOptions.boot(disks, null,
                new userboot4j.loader.Userboot.Options(MemSize.parse(memsize), List.of()), new PrintWriter(err), null);
        if (!err.toString().isEmpty()) {
            throw new AssertionError("boot warned: " + err);
        }
        return prepared;
    }
}
