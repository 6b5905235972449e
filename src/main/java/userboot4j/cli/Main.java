package userboot4j.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import userboot4j.BootException;
import userboot4j.Sysexits;

/**
 * The {@code userboot4j} command. Every failure a user can cause ends in one line on stderr and a
 * sysexits(3) status; {@code --debug} adds the stack trace.
 */
public final class Main {
    /** The commands, in usage order. */
    private static final Map<String, Supplier<Command>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("inspect", InspectCommand::new);
        COMMANDS.put("run", RunCommand::new);
        COMMANDS.put("lsdev", LsdevCommand::new);
        COMMANDS.put("ls", LsCommand::new);
        COMMANDS.put("cat", CatCommand::new);
        COMMANDS.put("kldxref", KldxrefCommand::new);
    }

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line and returns the exit status, for main and for tests. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("bhyveload")) {
            return BhyveloadCommand.run(System.getProperty("userboot4j.progname", "userboot4j bhyveload"),
                    Arrays.copyOfRange(args, 1, args.length), err);
        }
        if (args.length == 0 || !COMMANDS.containsKey(args[0])) {
            boolean help = args.length > 0 && args[0].equals("--help");
            if (!help) {
                err.println("userboot4j: " + (args.length == 0 ? "a command is required"
                        : "unknown command '" + BootException.printable(args[0]) + "'"));
            }
            (help ? out : err).print(usage());
            return help ? 0 : Sysexits.EX_USAGE;
        }
        boolean debug = Arrays.asList(args).contains("--debug");
        Command command = COMMANDS.get(args[0]).get();
        Options options = command.options();
        try {
            if (!options.parse(List.of(args).subList(1, args.length))) {
                out.print(options.usage());
                return 0;
            }
        } catch (BootException.Usage e) {
            err.println("userboot4j: " + e.getMessage());
            err.print(options.usage());
            return Sysexits.EX_USAGE;
        }
        try {
            int status = command.call(out, err);
            out.flush();
            return status;
        } catch (BootException e) {
            if (debug) {
                e.printStackTrace(err);
            }
            err.println("userboot4j: " + e.getMessage());
            return e.exitCode();
        } catch (RuntimeException e) {
            if (debug) {
                e.printStackTrace(err);
            }
            err.println("userboot4j: internal error: " + e + (debug ? "" : " (run with --debug for details)"));
            return Sysexits.EX_SOFTWARE;
        }
    }

    private static String usage() {
        StringBuilder s = new StringBuilder("Usage: userboot4j COMMAND [OPTIONS] (COMMAND --help for its options)\n"
                + "FreeBSD's bhyve loader (bhyveload + userboot.so) in Java.\nCommands:\n");
        COMMANDS.forEach((name, command) -> s.append("  ").append(name).append(" ".repeat(10 - name.length()))
                .append(command.get().options().description()).append('\n'));
        return s.append("  bhyveload [bhyveload's options] <vmname> (docs/bhyveload.8.md)\n").toString();
    }
}
