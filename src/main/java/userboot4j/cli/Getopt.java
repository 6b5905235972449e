package userboot4j.cli;

import java.io.PrintStream;

/**
 * FreeBSD's getopt(3), for commands that must parse exactly as a FreeBSD tool does: options end at the
 * first operand or at "--", option letters cluster ({@code -CS}), an argument follows its letter in the
 * same word or is the next word (even one starting with '-'). An unknown letter or a missing argument is
 * reported as getopt reports it and answered with '?'.
 *
 * <p>bhyveload alone parses with it; picocli, which parses userboot4j's own commands, cannot stand in:
 * {@code -d=IMAGE} is the disk {@code =IMAGE} to getopt and {@code IMAGE} to picocli, picocli reads options
 * after the VM name and long options, its messages are not getopt's ({@code illegal option -- x}), and
 * bhyveload acts on each option as getopt returns it (a {@code -d} disk is opened, or refused, before the
 * next option is read).
 */
final class Getopt {
    private final String progname;
    private final String optstring;
    private final String[] args;
    private final PrintStream err;
    private int optind;
    private int pos;
    String optarg;

    Getopt(String progname, String optstring, String[] args, PrintStream err) {
        this.progname = progname;
        this.optstring = optstring;
        this.args = args;
        this.err = err;
    }

    /** The next option letter, '?' for a bad one, or -1 when the options are over. */
    int next() {
        optarg = null;
        if (pos == 0) {
            if (optind >= args.length || !args[optind].startsWith("-") || args[optind].equals("-")) {
                return -1;
            }
            if (args[optind].equals("--")) {
                optind++;
                return -1;
            }
            pos = 1;
        }
        String word = args[optind];
        char c = word.charAt(pos++);
        int at = c == ':' ? -1 : optstring.indexOf(c);
        boolean last = pos >= word.length();
        if (at < 0) {
            err.println(progname + ": illegal option -- " + c);
            advanceIf(last);
            return '?';
        }
        if (at + 1 < optstring.length() && optstring.charAt(at + 1) == ':') {
            if (!last) {
                optarg = word.substring(pos);
            } else if (optind + 1 < args.length) {
                optarg = args[++optind];
            } else {
                err.println(progname + ": option requires an argument -- " + c);
                advanceIf(true);
                return '?';
            }
            advanceIf(true);
            return c;
        }
        advanceIf(last);
        return c;
    }

    private void advanceIf(boolean done) {
        if (done) {
            optind++;
            pos = 0;
        }
    }

    /** Index of the first operand once {@link #next} has returned -1. */
    int optind() {
        return optind;
    }
}
