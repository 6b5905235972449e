package userboot4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import userboot4j.BootException;
import userboot4j.BootImage;
import userboot4j.fs.host.HostFileSystem;
import userboot4j.loader.Userboot;
import userboot4j.vmm.MemoryLayout;

/** {@code userboot4j inspect}: the boot a bhyveload run would prepare, shown instead of started. */
@Command(name = "inspect", description = "Show the guest memory and vCPU state a boot would produce.")
final class InspectCommand implements Callable<Integer> {
    @Option(names = "-h", paramLabel = "DIR", required = true,
            description = "host directory holding the guest's /boot (bhyveload -h)")
    Path hostDir;

    @Option(names = "-m", paramLabel = "SIZE", description = "guest memory, bhyveload syntax (default 256M)")
    String memsize;

    @Option(names = "-e", paramLabel = "NAME=VALUE", description = "add to the loader's environment")
    List<String> env = new ArrayList<>();

    @Option(names = "--json", description = "print one JSON object (format: docs/INSPECT-JSON.md)")
    boolean json;

    @Option(names = "--dump-memory", paramLabel = "FILE",
            description = "write guest memory to a sparse file, each page at its guest physical offset")
    Path dump;

    @Option(names = "--debug", description = "print stack traces on errors")
    boolean debug;

    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws BootException {
        long size = memsize == null ? MemoryLayout.DEFAULT_SIZE : MemSize.parse(memsize);
        BootImage image;
        try (HostFileSystem fs = HostFileSystem.open(hostDir)) {
            image = Userboot.boot(fs, new Userboot.Options(size, env));
        }
        if (dump != null) {
            MemoryDump.write(image, dump);
        }
        java.io.PrintWriter out = spec.commandLine().getOut();
        out.print(json ? InspectJson.render(image) + "\n" : InspectTable.render(image));
        out.flush();
        return 0;
    }
}
