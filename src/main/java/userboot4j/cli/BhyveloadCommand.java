package userboot4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import userboot4j.BootException;
import userboot4j.Sysexits;
import userboot4j.console.Console;
import userboot4j.loader.Interact;
import userboot4j.loader.LoaderRelease;
import userboot4j.loader.PreparedBoot;
import userboot4j.loader.Userboot;
import userboot4j.memory.MemoryLayout;
import userboot4j.vmm.bhyve.BhyveVm;
import userboot4j.vmm.bhyve.Vmmapi;

/**
 * {@code userboot4j bhyveload} (and {@code bin/bhyveload}): bhyveload(8)'s command line, parsed by
 * getopt as bhyveload parses it, with its messages and exit statuses, preparing the named bhyve VM through
 * libvmmapi. The loader is built in, so {@code -l} names nothing to load (docs/bhyveload.8.md).
 */
final class BhyveloadCommand {
    /** bhyveload's NDISKS. */
    static final int NDISKS = 32;
    /** What usage() exits with. */
    static final int EXIT_USAGE = 1;
    /** The loader release to follow instead of the guest's (docs/bhyveload.8.md, ENVIRONMENT). */
    static final String RELEASE_VARIABLE = "USERBOOT4J_LOADER_RELEASE";

    private final String progname;
    private final PrintStream err;
    private final List<Path> disks = new ArrayList<>();
    private final List<String> env = new ArrayList<>();
    private Path hostDir;
    private String loader;
    private long memsize = MemoryLayout.DEFAULT_SIZE;
    private boolean incore;
    private boolean wired;
    private Console console;

    private BhyveloadCommand(String progname, PrintStream err) {
        this.progname = progname;
        this.err = err;
    }

    /** Runs bhyveload's command line and returns the exit status. */
    static int run(String progname, String[] argv, PrintStream err) {
        boolean debug = Arrays.asList(argv).contains("--debug");
        String[] args = Arrays.stream(argv).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        BhyveloadCommand c = new BhyveloadCommand(progname, err);
        try {
            return c.main(args);
        } catch (BootException e) {
            if (debug) {
                e.printStackTrace(err);
            }
            err.println(progname + ": " + e.getMessage());
            return e.exitCode();
        } catch (RuntimeException e) {
            if (debug) {
                e.printStackTrace(err);
            }
            err.println(progname + ": internal error: " + e + (debug ? "" : " (run with --debug for details)"));
            return Sysexits.EX_SOFTWARE;
        } finally {
            if (c.console != null) {
                c.console.close();
            }
        }
    }

    private int main(String[] args) throws BootException {
        Getopt g = new Getopt(progname, "CSc:d:e:h:l:m:", args, err);
        for (int opt; (opt = g.next()) != -1;) {
            switch (opt) {
                case 'c' -> {
                    if (console != null) {
                        console.close();
                    }
                    console = Console.open(g.optarg);
                    if (console == null) {
                        throw new BootException.Usage("Could not open '" + g.optarg + "'");
                    }
                }
                case 'd' -> diskOpen(g.optarg);
                case 'e' -> env.add(g.optarg);
                case 'h' -> hostDir = Path.of(g.optarg);
                case 'l' -> {
                    if (loader != null) {
                        throw new BootException.Usage("-l can only be given once");
                    }
                    loader = g.optarg;
                }
                case 'm' -> memsize = memsize(g.optarg);
                case 'C' -> incore = true;
                case 'S' -> wired = true;
                default -> {
                    return usage();
                }
            }
        }
        if (args.length - g.optind() != 1) {
            return usage();
        }
        String vmname = args[g.optind()];
        LoaderRelease release = release();

        BhyveVm vm = BhyveVm.create(Vmmapi.load(), vmname, BhyveVm.memflags(incore, wired), memsize);
        long guestmem = guestMemory(vm.layout(), vmname);
        if (console == null) {
            console = Console.open(Console.STDIO);
        }
        console.raw();
        PrintWriter warnings = new PrintWriter(err, true);
        // someone at a terminal gets the loader's countdown and prompt; elsewhere it boots without waiting
        Interact.Console live = console.isTerminal() ? LoaderConsoles.terminal(console) : null;
        PreparedBoot prepared = boot(vm, new Userboot.Options(guestmem, env, release), warnings, live);
        if (live == null) {
            for (String line : prepared.console()) {
                console.print(line + "\n");
            }
        }
        vm.load(prepared.image());
        return 0;
    }

    /** The loader's boot, started again on the VM re-initialised where bhyveload does that for a reboot. */
    private PreparedBoot boot(BhyveVm vm, Userboot.Options options, PrintWriter warnings, Interact.Console live)
            throws BootException {
        while (true) {
            try {
                return BootOptions.boot(disks, hostDir, options, warnings, live);
            } catch (BootException e) {
                if (e.exitCode() != Interact.EXIT_REBOOT || !vm.restartsOnReboot()) {
                    throw e;
                }
                vm.restart();
            }
        }
    }

    /**
     * The guest's memory as libvmmapi laid it out, which the loader is given (cb_getmem). FreeBSD 15's
     * vm_setup_memory keeps the memory of a VM that existed, whatever -m says (13's and 14's refuse another
     * size); bhyveload boots with it silently, this one says so.
     */
    private long guestMemory(MemoryLayout layout, String vmname) throws BootException {
        long guestmem = layout.lowmem() + layout.highmem();
        if (!layout.equals(MemoryLayout.forSize(guestmem))) {
            throw new BootException(BhyveVm.EXIT_FAILURE, String.format("libvmmapi laid out lowmem %d and highmem %d "
                    + "bytes, not as userboot4j expects", layout.lowmem(), layout.highmem()));
        }
        if (guestmem != memsize) {
            err.printf("%s: VM %s already has %s of memory, which it keeps (not -m's %s): destroy it first to "
                    + "change it (bhyvectl --destroy --vm=%s)%n", progname, vmname, size(guestmem), size(memsize),
                    vmname);
        }
        return guestmem;
    }

    private static String size(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    /**
     * inspect's and run's {@code --loader-release}, taken from the environment: bhyveload's options stay
     * exactly FreeBSD's, and a {@code -e} string would reach the guest's kernel environment.
     */
    private static LoaderRelease release() throws BootException.Usage {
        String v = System.getenv(RELEASE_VARIABLE);
        return v == null || v.isEmpty() ? null : LoaderRelease.parse(v);
    }

    /** disk_open: at most NDISKS, each openable for reading and writing. */
    private void diskOpen(String path) throws BootException {
        Path p = Path.of(path);
        if (disks.size() >= NDISKS) {
            throw new BootException.Usage("Could not open '" + path + "'");
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            disks.add(p);
        } catch (IOException | UnsupportedOperationException e) {
            throw new BootException.Usage("Could not open '" + path + "'");
        }
    }

    private static long memsize(String arg) throws BootException {
        try {
            return MemSize.parse(arg);
        } catch (BootException e) {
            throw new BootException.Usage("Invalid memsize '" + arg + "'");
        }
    }

    /** bhyveload's usage(), with what -l and -C mean here. */
    private int usage() {
        err.print(usage(progname));
        return EXIT_USAGE;
    }

    /** bhyveload's usage text for {@code progname}. */
    static String usage(String progname) {
        String pad = " ".repeat(progname.length());
        return "usage: " + progname + " [-S][-c <console-device>] [-d <disk-path>] [-e <name=value>]\n"
                + "       " + pad + " [-h <host-path>] [-m memsize[K|k|M|m|G|g|T|t]] <vmname>\n"
                + "       " + pad + " -C: guest memory in core dumps; -S: wired guest memory\n"
                + "       " + pad + " -l <loader>: accepted once and not loaded, the loader is built in\n";
    }
}
