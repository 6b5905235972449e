package userboot4j.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import userboot4j.BootException;
import userboot4j.Sysexits;

/**
 * The {@code userboot4j} command: picocli parses the command line of every command but bhyveload, which
 * keeps getopt's (BhyveloadCommand). Every failure a user can cause ends in one line on stderr and a
 * sysexits(3) status; {@code --debug} adds the stack trace.
 */
public final class Main {
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
        Map<String, Command> commands = commands();
        // Only the command named gets a parser: picocli makes one for every subcommand it is given, and a
        // parser costs milliseconds at start-up (docs/PERFORMANCE.md). Usage texts name them all.
        CommandLine cli = commandLine(args.length > 0 && commands.containsKey(args[0])
                ? Map.of(args[0], commands.get(args[0])) : commands);
        ParseResult parsed;
        try {
            parsed = cli.parseArgs(args);
        } catch (ParameterException e) {
            err.println("userboot4j: " + message(e, cli));
            err.print(usage(e.getCommandLine()));
            return Sysexits.EX_USAGE;
        }
        if (parsed.isVersionHelpRequested()) {
            cli.printVersionHelp(out, Ansi.OFF);
            return 0;
        }
        if (parsed.isUsageHelpRequested()) {
            out.print(usage(cli));
            return 0;
        }
        ParseResult sub = parsed.subcommand();
        if (sub == null) {
            err.println("userboot4j: a command is required");
            err.print(usage(cli));
            return Sysexits.EX_USAGE;
        }
        if (sub.isUsageHelpRequested()) {
            out.print(usage(sub.commandSpec().commandLine()));
            return 0;
        }
        return call(commands.get(sub.commandSpec().name()), out, err, Arrays.asList(args).contains("--debug"));
    }

    private static int call(Command command, PrintStream out, PrintStream err, boolean debug) {
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

    /** The commands, in usage order; each only sets its fields until it is called. */
    static Map<String, Command> commands() {
        Map<String, Command> commands = new LinkedHashMap<>();
        commands.put("inspect", new InspectCommand());
        commands.put("run", new RunCommand());
        commands.put("lsdev", new LsdevCommand());
        commands.put("ls", new LsCommand());
        commands.put("cat", new CatCommand());
        commands.put("kldxref", new KldxrefCommand());
        commands.put("help", new HelpCommand());
        return commands;
    }

    /** The command line of {@code commands}, for the parse and for the completion scripts. */
    static CommandLine commandLine(Map<String, Command> commands) {
        // picocli's converters for java.time and java.sql types are looked up by reflection on every start
        System.setProperty("picocli.converters.excludes", "java\\..*");
        CommandSpec top = configure(CommandSpec.create().name("userboot4j"))
                .versionProvider(new Version())
                .addOption(OptionSpec.builder("--help").usageHelp(true).description("show this help").build())
                .addOption(OptionSpec.builder("--version").versionHelp(true)
                        .description("show the version and the FreeBSD loader it reproduces").build());
        top.usageMessage().customSynopsis("userboot4j COMMAND [OPTIONS]  (userboot4j help COMMAND for its options)")
                .description("FreeBSD's bhyve loader (bhyveload + userboot.so) in Java.")
                .footer("%nAlso: userboot4j bhyveload [bhyveload's options] <vmname> (docs/bhyveload.8.md)");
        CommandLine cli = new CommandLine(top);
        commands.forEach((name, command) -> cli.addSubcommand(name, command.options().spec()));
        return cli;
    }

    /** How every command parses and shows its usage. */
    static CommandSpec configure(CommandSpec spec) {
        // a value is the next word, whatever it looks like (--keys --json types the file "--json")
        spec.parser().allowOptionsAsOptionParameters(true).overwrittenOptionsAllowed(true);
        spec.usageMessage().sortOptions(false).synopsisHeading("Usage: ").commandListHeading("Commands:%n");
        return spec;
    }

    /**
     * The usage text of {@code command}, its options shown as {@code -d IMAGE} (as the docs and FreeBSD's
     * tools write them) though picocli's parser also takes {@code -d=IMAGE}: the parse is over by then.
     */
    static String usage(CommandLine command) {
        command.getCommandSpec().parser().separator(" ");
        return command.getUsageMessage(Ansi.OFF);
    }

    /** The one line a usage error gets, in the words userboot4j has always used. */
    static String message(ParameterException e, CommandLine top) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof BootException.Usage usage) {
                return usage.getMessage(); // an option's own check (a bad --timeout, a path the JVM cannot name)
            }
        }
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            return e.getCommandLine() == top ? "unknown command '" + BootException.printable(arg) + "'"
                    : arg.startsWith("-") && arg.length() > 1 ? "unknown option '" + arg + "'"
                    : "unexpected argument '" + arg + "'";
        }
        if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()) {
            ArgSpec a = m.getMissing().get(0);
            return a.isOption() ? "option '" + ((OptionSpec) a).longestName() + "' needs a value (" + a.paramLabel() + ")"
                    : "missing " + a.paramLabel();
        }
        return e.getMessage();
    }
}
