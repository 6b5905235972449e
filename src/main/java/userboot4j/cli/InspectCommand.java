package userboot4j.cli;

import java.nio.file.Path;
import java.io.PrintStream;
import java.io.PrintWriter;
import userboot4j.BootException;
import userboot4j.loader.PreparedBoot;
import userboot4j.vmm.offline.MemoryDump;

/** {@code userboot4j inspect}: the boot a bhyveload run would prepare, shown instead of started. */
final class InspectCommand implements Command {
    private final BootOptions boot = new BootOptions();
    private boolean json;
    private boolean verbose;
    private Path keys;
    private Path dump;

    @Override
    public Spec options() {
        return boot.addTo(new Spec("inspect", "Show the guest memory and vCPU state a boot would produce."))
                .flag("--json", "print one JSON object (format: docs/INSPECT-JSON.md)", () -> json = true)
                .flag("--verbose", "first print the lines the loader prints as it reads its files", () -> verbose = true)
                .file("--keys", "FILE", "type FILE's bytes at the loader's console (its countdown and OK prompt), "
                        + "whose screen goes to standard error", v -> keys = v)
                .file("--dump-memory", "FILE", "write guest memory to a sparse file, each page at its guest "
                        + "physical offset", v -> dump = v);
    }

    @Override
    public int call(PrintStream stdout, PrintStream err) throws BootException {
        PreparedBoot prepared = boot.boot(new PrintWriter(err, true), keys == null ? null : LoaderConsoles.keys(keys, err));
        if (dump != null) {
            try (MemoryDump file = new MemoryDump(dump)) {
                file.load(prepared.image());
            }
        }
        PrintWriter out = new PrintWriter(stdout);
        if (verbose && !json) {
            prepared.console().forEach(out::println);
        } else if (keys == null) {
            // no console shown: its errors still reach the user, in FreeBSD's words
            prepared.errors().forEach(err::println);
        }
        out.print(json ? InspectJson.render(prepared) + "\n" : InspectTable.render(prepared));
        out.flush();
        return 0;
    }
}
