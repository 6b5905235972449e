package userboot4j.cli;

import java.nio.file.Path;
import java.io.PrintStream;
import userboot4j.BootException;
import userboot4j.kldxref.KldxrefWriter;

/** {@code userboot4j kldxref}: FreeBSD's kldxref(8), for module directories on this host. */
final class KldxrefCommand implements Command {
    private Path dir;

    @Override
    public Spec options() {
        return new Spec("kldxref", "Write linker.hints for DIR and each directory below it, as FreeBSD 13's "
                + "kldxref(8) writes it (MDT_VERSION, MDT_MODULE and PNP records of amd64 kernels and modules).")
                .fileOperand("DIR", "a host directory of kernel modules", v -> dir = v);
    }

    @Override
    public int call(PrintStream out, PrintStream err) throws BootException {
        KldxrefWriter.run(dir);
        return 0;
    }
}
