package userboot4j.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import userboot4j.BootException;

/**
 * A command's options and operands as a picocli {@link CommandSpec}, built in code: picocli's annotations
 * would be read by reflection on every start, which costs more than the whole parse (docs/PERFORMANCE.md).
 * Each option calls its setter once per occurrence (a repeated {@code -d} adds a disk); {@code --help} and
 * {@code --debug} are on every command.
 */
final class Spec {
    /** What an option or operand does with its value. */
    interface Setter<T> {
        void set(T value) throws BootException.Usage;
    }

    /**
     * Host paths, as {@link #path}. A class, not a lambda: a lambda links picocli's interface while the
     * class-data archive is dumped, and a linked Java 5 class (picocli's jar as it is, without
     * StackMapClasses) is left out of it.
     */
    private static final ITypeConverter<Path> PATH = new ITypeConverter<>() {
        @Override
        public Path convert(String value) throws BootException.Usage {
            return path(value);
        }
    };

    private final CommandSpec spec;
    private int operands;
    private boolean finished;

    Spec(String command, String description) {
        spec = CommandSpec.create().name(command);
        Main.configure(spec).usageMessage().description(description).abbreviateSynopsis(true);
    }

    /** The spec, with the options every command has after the command's own. */
    CommandSpec spec() {
        if (!finished) {
            finished = true;
            spec.addOption(OptionSpec.builder("--debug").description("print stack traces on errors").build())
                    .addOption(OptionSpec.builder("--help").usageHelp(true).description("show this help").build());
        }
        return spec;
    }

    Spec flag(String name, String description, Runnable set) {
        spec.addOption(OptionSpec.builder(name).arity("0").type(boolean.class).description(description)
                .hasInitialValue(false).setter(new Binding<Boolean>(v -> set.run())).build());
        return this;
    }

    Spec value(String name, String label, String description, Setter<String> set) {
        spec.addOption(option(name, label, description).type(String.class).setter(new Binding<>(set)).build());
        return this;
    }

    /** An option naming a host file or directory (shells complete it as one). */
    Spec file(String name, String label, String description, Setter<Path> set) {
        spec.addOption(option(name, label, description).type(Path.class).converters(PATH)
                .setter(new Binding<>(set)).build());
        return this;
    }

    private static OptionSpec.Builder option(String name, String label, String description) {
        return OptionSpec.builder(name).arity("1").paramLabel(label).description(description).hasInitialValue(false);
    }

    /** An operand; the required ones come first. */
    Spec operand(String label, boolean required, String description, Setter<String> set) {
        return operand(label, required, description, set, null);
    }

    /** An operand whose values shells complete from {@code candidates}. */
    Spec operand(String label, boolean required, String description, Setter<String> set, Iterable<String> candidates) {
        spec.addPositional(operand(label, required, description).type(String.class).completionCandidates(candidates)
                .setter(new Binding<>(set)).build());
        return this;
    }

    /** A required operand naming a host file or directory. */
    Spec fileOperand(String label, String description, Setter<Path> set) {
        spec.addPositional(operand(label, true, description).type(Path.class).converters(PATH)
                .setter(new Binding<>(set)).build());
        return this;
    }

    /** The remaining operands, one or more, each naming a host file or directory, added to {@code into}. */
    Spec fileOperands(String label, String description, List<Path> into) {
        String from = Integer.toString(operands);
        Operands<Path> binding = new Operands<>(into);
        spec.addPositional(operand(label, true, description).index(from + "..*").arity("1..*").type(List.class)
                .auxiliaryTypes(Path.class).converters(PATH).getter(binding).setter(binding).build());
        return this;
    }

    private PositionalParamSpec.Builder operand(String label, boolean required, String description) {
        return PositionalParamSpec.builder().index(Integer.toString(operands++)).arity(required ? "1" : "0..1")
                .required(required).paramLabel(label).description(description).hasInitialValue(false);
    }

    /** {@code v} as a host path. */
    static Path path(String v) throws BootException.Usage {
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new BootException.Usage("invalid path '" + v + "': " + e.getReason());
        }
    }

    /** A {@link Setter} as picocli calls it (ISetter's method is generic, so no lambda can be one). */
    private static final class Binding<T> implements ISetter {
        private final Setter<T> set;

        Binding(Setter<T> set) {
            this.set = set;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> V set(V value) throws BootException.Usage {
            set.set((T) value);
            return null;
        }
    }

    /** Operands gathered into a caller's list: picocli adds each value to the list its getter returns. */
    private static final class Operands<T> implements IGetter, ISetter {
        private final List<T> into;

        Operands(List<T> into) {
            this.into = into;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> V get() {
            return (V) into;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> V set(V value) {
            if (value != into) {
                into.clear();
                into.addAll((List<T>) value);
            }
            return null;
        }
    }
}
