package userboot4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import userboot4j.BootException;
import userboot4j.kldxref.KldxrefWriter;

/** {@code userboot4j kldxref}: FreeBSD's kldxref(8), for module directories on this host. */
final class KldxrefCommand implements Command {
    private final List<Path> paths = new ArrayList<>();
    private boolean follow;
    private boolean dryRun;
    private boolean verbose;
    private String hintsFile = KldxrefWriter.HINTS;

    @Override
    public Spec options() {
        return new Spec("kldxref", "Write linker.hints for each PATH and each directory below it, as FreeBSD 13's "
                + "kldxref(8) writes it (MDT_VERSION, MDT_MODULE and PNP records of amd64 kernels and modules).")
                .flag("-R", "follow a PATH that is a symbolic link (subdirectories are walked either way, as kldxref"
                        + " walks them)", () -> follow = true)
                .flag("-d", "write no hints file: print each file and its module metadata", () -> dryRun = true)
                .flag("-v", "print each file as it is read", () -> verbose = true)
                .value("-f", "HINTSFILE", "the hints file's name (default linker.hints)", v -> hintsFile = hintsName(v))
                .fileOperands("PATH", "a directory of kernel modules (or, with -d, a file)", paths);
    }

    /** A name in each directory: kldxref joins it to the directory's path. */
    private static String hintsName(String v) throws BootException.Usage {
        if (v.isEmpty() || v.contains("/")) {
            throw new BootException.Usage("-f takes a file name (no '/'), not '" + v + "'");
        }
        return v;
    }

    @Override
    public int call(PrintStream out, PrintStream err) throws BootException {
        KldxrefWriter.run(paths, new KldxrefWriter.Flags(follow, dryRun, verbose, hintsFile), out);
        return 0;
    }
}
