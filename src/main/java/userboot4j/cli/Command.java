package userboot4j.cli;

import java.io.PrintStream;
import userboot4j.BootException;

/** A {@code userboot4j} command: its options, filled in by {@link Options#parse}, then its run. */
interface Command {
    Options options();

    /** Runs the command and returns its exit status. */
    int call(PrintStream out, PrintStream err) throws BootException;
}
