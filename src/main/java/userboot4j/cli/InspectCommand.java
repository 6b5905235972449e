package userboot4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import userboot4j.BootException;
import userboot4j.BootImage;

/** {@code userboot4j inspect}: the boot a bhyveload run would prepare, shown instead of started. */
@Command(name = "inspect", description = "Show the guest memory and vCPU state a boot would produce.")
final class InspectCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    BootOptions boot;

    @Option(names = "--json", description = "print one JSON object (format: docs/INSPECT-JSON.md)")
    boolean json;

    @Option(names = "--verbose", description = "first print the lines the loader prints as it reads its files")
    boolean verbose;

    @Option(names = "--keys", paramLabel = "FILE", description = "type FILE's bytes at the loader's console (its "
            + "countdown and OK prompt), whose screen goes to standard error")
    Path keys;

    @Option(names = "--dump-memory", paramLabel = "FILE",
            description = "write guest memory to a sparse file, each page at its guest physical offset")
    Path dump;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws BootException {
        BootImage image = boot.boot(spec.commandLine().getErr(), keys == null ? null
                : LoaderConsoles.keys(keys, new java.io.OutputStream() {
                    @Override
                    public void write(int b) {
                        spec.commandLine().getErr().write(b);
                    }

                    @Override
                    public void flush() {
                        spec.commandLine().getErr().flush();
                    }
                }));
        if (dump != null) {
            MemoryDump.write(image, dump);
        }
        java.io.PrintWriter out = spec.commandLine().getOut();
        if (verbose && !json) {
            image.console().forEach(out::println);
        }
        out.print(json ? InspectJson.render(image) + "\n" : InspectTable.render(image));
        out.flush();
        return 0;
    }
}
