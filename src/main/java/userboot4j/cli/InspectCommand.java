package userboot4j.cli;

import java.nio.file.Path;
import java.io.PrintStream;
import java.io.PrintWriter;
import userboot4j.BootException;
import userboot4j.loader.LoaderRelease;
import userboot4j.loader.PreparedBoot;
import userboot4j.vmm.offline.MemoryDump;

/** {@code userboot4j inspect}: the boot a bhyveload run would prepare, shown instead of started. */
final class InspectCommand implements Command {
    private final BootOptions boot = new BootOptions();
    private boolean json;
    private boolean verbose;
    private Path keys;
    private Path dump;
    private LoaderRelease as;

    @Override
    public Spec options() {
        return boot.addTo(new Spec("inspect", "Show the guest memory and vCPU state a boot would produce."))
                .flag("--json", "print one JSON object (format: docs/INSPECT-JSON.md)", () -> json = true)
                .flag("--verbose", "first print the lines the loader prints as it reads its files", () -> verbose = true)
                .file("--keys", "FILE", "type FILE's bytes at the loader's console (its countdown and OK prompt), "
                        + "whose screen goes to standard error", v -> keys = v)
                .file("--dump-memory", "FILE", "write guest memory to a sparse file, each page at its guest "
                        + "physical offset", v -> dump = v)
                .value("--as", "X.Y", "say only whether FreeBSD X's loader (13, 14, 15) would boot this guest, and "
                        + "why not; status 1 when it would not", v -> as = LoaderRelease.parse(v));
    }

    @Override
    public int call(PrintStream stdout, PrintStream err) throws BootException {
        if (as != null) {
            return verdict(boot.judge(keys == null ? null : LoaderConsoles.keys(keys, err), as), stdout);
        }
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

    /** {@code --as}: the verdict of that release's loader, each reason on its own line; 1 when it refuses. */
    private int verdict(BootOptions.Judged j, PrintStream stdout) {
        String who = "FreeBSD " + j.judge().reference() + "'s loader";
        String tooOld = j.tooOld() ? who + " prints \"BOOT LOADER IS TOO OLD. PLEASE UPGRADE.\" over the guest's "
                + "FreeBSD " + j.scripts().key() + " scripts, and boots on" : null;
        if (json) {
            stdout.println(InspectJson.verdict(j.judge().reference(), j.refusals(), tooOld));
        } else {
            stdout.println(who + (j.refusals().isEmpty() ? " would boot this guest" : " would not boot this guest:"));
            j.refusals().forEach(why -> stdout.println("  " + why));
            if (tooOld != null) {
                stdout.println("note: " + tooOld);
            }
        }
        return j.refusals().isEmpty() ? 0 : 1;
    }
}
