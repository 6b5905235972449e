package userboot4j.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import userboot4j.BootException;
import userboot4j.Sysexits;

/** {@code userboot4j help [COMMAND]}: the usage of userboot4j or of one command, on standard output. */
final class HelpCommand implements Command {
    private String topic;
    /** userboot4j with every command, made when it is needed. */
    private CommandLine root;

    @Override
    public Spec options() {
        return new Spec("help", "Show the usage of userboot4j or of COMMAND.")
                .operand("COMMAND", false, "a command, or bhyveload", v -> topic = v, () -> topics().iterator());
    }

    private CommandLine root() {
        if (root == null) {
            root = Main.commandLine(Main.commands());
        }
        return root;
    }

    /** What help knows: every command, bhyveload too. */
    private List<String> topics() {
        List<String> topics = new ArrayList<>(root().getSubcommands().keySet());
        topics.add("bhyveload");
        return topics;
    }

    @Override
    public int call(PrintStream out, PrintStream err) throws BootException {
        if (topic == null) {
            out.print(Main.usage(root()));
        } else if (topic.equals("bhyveload")) {
            out.print(BhyveloadCommand.usage("userboot4j bhyveload"));
        } else if (root().getSubcommands().containsKey(topic)) {
            out.print(Main.usage(root().getSubcommands().get(topic)));
        } else {
            err.println("userboot4j: unknown command '" + BootException.printable(topic) + "'");
            err.print(Main.usage(root()));
            return Sysexits.EX_USAGE;
        }
        return 0;
    }
}
