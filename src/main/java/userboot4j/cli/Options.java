package userboot4j.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import userboot4j.BootException;

/**
 * A command's options and operands, and its usage text. The commands used picocli until its start-up cost
 * was measured: its Java 5 class files stay out of a class-data-sharing archive and it reflects over every
 * option, a third of a short {@code inspect} (docs/PERFORMANCE.md). This is the part they need: flags,
 * options with a value ({@code -d IMAGE}, {@code -dIMAGE}, {@code --keys FILE}, {@code --keys=FILE}; a
 * repeated one calls its setter again), operands, {@code --} before operands that start with '-', and
 * {@code --help} and {@code --debug} on every command.
 */
final class Options {
    /** What an option or operand does with its value (null for a flag). */
    interface Setter {
        void set(String value) throws BootException.Usage;
    }

    /** One option; {@code label} is null for a flag. */
    private record Option(String name, String label, String description, Setter set) {
    }

    private final String command;
    private final String description;
    private final List<Option> options = new ArrayList<>();
    private final List<Option> operands = new ArrayList<>();
    private boolean help;
    /** What every command takes, listed after its own options. */
    private final List<Option> common = List.of(new Option("--debug", null, "print stack traces on errors", v -> {
    }), new Option("--help", null, "show this help", v -> help = true));
    private int requiredOperands;
    private boolean repeatsLast;

    Options(String command, String description) {
        this.command = command;
        this.description = description;
    }

    String description() {
        return description;
    }

    Options flag(String name, String description, Runnable set) {
        options.add(new Option(name, null, description, v -> set.run()));
        return this;
    }

    Options value(String name, String label, String description, Setter set) {
        options.add(new Option(name, label, description, set));
        return this;
    }

    /** An operand; the required ones come first. */
    Options operand(String label, boolean required, Setter set) {
        operands.add(new Option(null, label, null, set));
        if (required) {
            requiredOperands = operands.size();
        }
        return this;
    }

    /** A required operand that may be given more than once (the last one). */
    Options operands(String label, Setter set) {
        operand(label + " ...", true, set);
        repeatsLast = true;
        return this;
    }

    /**
     * Applies {@code args} to the setters; false when {@code --help} asked for the usage instead.
     *
     * @throws BootException.Usage for an unknown option, a missing value or operand, or one too many
     */
    boolean parse(List<String> args) throws BootException.Usage {
        int operand = 0;
        boolean onlyOperands = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!onlyOperands && a.equals("--")) {
                onlyOperands = true;
            } else if (!onlyOperands && a.startsWith("-") && a.length() > 1) {
                Option o = find(a);
                String attached = a.length() > o.name().length()
                        ? a.substring(o.name().length() + (a.charAt(o.name().length()) == '=' ? 1 : 0)) : null;
                if (o.label() == null) {
                    o.set().set(null);
                } else if (attached != null) {
                    o.set().set(attached);
                } else if (++i < args.size()) {
                    o.set().set(args.get(i));
                } else {
                    throw new BootException.Usage("option '" + o.name() + "' needs a value (" + o.label() + ")");
                }
            } else if (operand < operands.size() || repeatsLast) {
                operands.get(Math.min(operand++, operands.size() - 1)).set().set(a);
            } else {
                throw new BootException.Usage("unexpected argument '" + a + "'");
            }
        }
        if (!help && operand < requiredOperands) {
            throw new BootException.Usage("missing " + operands.get(operand).label());
        }
        return !help;
    }

    /** The option {@code arg} names: exactly, or a one-letter option with its value attached, or --name=value. */
    private Option find(String arg) throws BootException.Usage {
        for (Option o : all()) {
            String n = o.name();
            if (arg.equals(n) || o.label() != null && (n.length() == 2 && !n.equals("--") && arg.startsWith(n)
                    && !arg.startsWith("--") || arg.startsWith(n + "="))) {
                return o;
            }
        }
        throw new BootException.Usage("unknown option '" + arg + "'");
    }

    private List<Option> all() {
        List<Option> all = new ArrayList<>(options);
        all.addAll(common);
        return all;
    }

    /** The usage text: synopsis, description, one line per option. */
    String usage() {
        StringBuilder s = new StringBuilder("Usage: userboot4j ").append(command).append(" [OPTIONS]");
        for (int i = 0; i < operands.size(); i++) {
            s.append(i < requiredOperands ? " " + operands.get(i).label() : " [" + operands.get(i).label() + "]");
        }
        s.append('\n').append(description).append('\n');
        for (Option o : all()) {
            String left = o.label() == null ? o.name() : o.name() + " " + o.label();
            s.append("  ").append(left).append(" ".repeat(Math.max(1, 20 - left.length())))
                    .append(o.description()).append('\n');
        }
        return s.toString();
    }

    /** {@code v} as a host path. */
    static Path path(String v) throws BootException.Usage {
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new BootException.Usage("invalid path '" + v + "': " + e.getReason());
        }
    }
}
