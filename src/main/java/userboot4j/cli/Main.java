package userboot4j.cli;

import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import userboot4j.BootException;
import userboot4j.Sysexits;

/**
 * The {@code userboot4j} command. Every failure a user can cause ends in one line on stderr and a
 * sysexits(3) status; {@code --debug} adds the stack trace.
 */
@Command(name = "userboot4j", subcommands = {InspectCommand.class, RunCommand.class, LsdevCommand.class, LsCommand.class, CatCommand.class,
        KldxrefCommand.class},
        description = "FreeBSD's bhyve loader (bhyveload + userboot.so) in Java.",
        footer = "%nAlso: userboot4j bhyveload [bhyveload's options] <vmname> (docs/bhyveload.8.md).")
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Standard output as bytes, for commands that copy raw data (cat). */
    final PrintStream stdout;

    Main(PrintStream stdout) {
        this.stdout = stdout;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (bhyveload, inspect, run, lsdev, ls, cat, kldxref)");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line and returns the exit status, for main and for tests. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("bhyveload")) {
            return BhyveloadCommand.run(System.getProperty("userboot4j.progname", "userboot4j bhyveload"),
                    java.util.Arrays.copyOfRange(args, 1, args.length), err);
        }
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        CommandLine cl = new CommandLine(new Main(out));
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (debug) {
                e.printStackTrace(err);
            }
            if (e instanceof BootException b) {
                err.println("userboot4j: " + b.getMessage());
                return b.exitCode();
            }
            err.println("userboot4j: internal error: " + e + (debug ? "" : " (run with --debug for details)"));
            return Sysexits.EX_SOFTWARE;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("userboot4j: " + e.getMessage());
            e.getCommandLine().usage(err);
            return Sysexits.EX_USAGE;
        });
        return cl.execute(args);
    }
}
