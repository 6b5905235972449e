package userboot4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import userboot4j.BootException;
import userboot4j.kldxref.KldxrefWriter;

/** {@code userboot4j kldxref}: FreeBSD's kldxref(8), for module directories on this host. */
@Command(name = "kldxref", description = "Write linker.hints for DIR and each directory below it, as FreeBSD 13's "
        + "kldxref(8) writes it (MDT_VERSION, MDT_MODULE and PNP records of amd64 kernels and modules).")
final class KldxrefCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR")
    Path dir;

    @Override
    public Integer call() throws BootException {
        KldxrefWriter.run(dir);
        return 0;
    }
}
