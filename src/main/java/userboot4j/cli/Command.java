package userboot4j.cli;

import java.io.PrintStream;
import userboot4j.BootException;

/** A {@code userboot4j} command: its options, whose setters picocli calls as it parses, then its run. */
interface Command {
    Spec options();

    /** Runs the command and returns its exit status. */
    int call(PrintStream out, PrintStream err) throws BootException;
}
