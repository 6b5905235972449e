package userboot4j;

/**
 * Root of the project's checked exception family. Every failure that a user can cause (a bad image, a
 * missing file, a bad option) ends in one of these; the CLI prints {@link #getMessage()} as one line and
 * exits with {@link #exitCode()}, a sysexits(3) value.
 */
public class BootException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public BootException(int exitCode, String message) {
        super(printable(message));
        this.exitCode = exitCode;
    }

    public BootException(int exitCode, String message, Throwable cause) {
        super(printable(message), cause);
        this.exitCode = exitCode;
    }

    /**
     * The message with control characters shown as {@code \xNN}: names and text in them come from the
     * guest's disk, and a guest must not break the line or send escape sequences to the host's terminal.
     */
    public static String printable(String message) {
        if (message == null || message.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
            return message;
        }
        StringBuilder sb = new StringBuilder(message.length() + 16);
        for (char c : message.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The sysexits(3) status the process ends with. */
    public int exitCode() {
        return exitCode;
    }

    /** Input data is malformed: a bad ELF header, a length past the end of a file, a bad record. */
    public static final class InvalidFormat extends BootException {
        private static final long serialVersionUID = 1L;

        public InvalidFormat(String message) {
            super(Sysexits.EX_DATAERR, message);
        }
    }

    /** Well-formed input that uses something the FreeBSD loader (and so this one) does not handle. */
    public static final class Unsupported extends BootException {
        private static final long serialVersionUID = 1L;

        public Unsupported(String message) {
            super(Sysexits.EX_DATAERR, message);
        }
    }

    /** A file, module or device that should be there is not. */
    public static final class NotFound extends BootException {
        private static final long serialVersionUID = 1L;

        public NotFound(String message) {
            super(Sysexits.EX_NOINPUT, message);
        }
    }

    /** An access the loader refuses: a path leaving the host directory, a device node. */
    public static final class AccessDenied extends BootException {
        private static final long serialVersionUID = 1L;

        public AccessDenied(String message) {
            super(Sysexits.EX_NOPERM, message);
        }
    }

    /** The host failed to read or write: an I/O error below us. */
    public static final class Io extends BootException {
        private static final long serialVersionUID = 1L;

        public Io(String message, Throwable cause) {
            super(Sysexits.EX_IOERR, message, cause);
        }
    }

    /** The loader's decisions cannot be carried out: missing dependency, cycle, no version in range. */
    public static final class Config extends BootException {
        private static final long serialVersionUID = 1L;

        public Config(String message) {
            super(Sysexits.EX_CONFIG, message);
        }
    }

    /** Something the boot needs does not fit the guest: a segment outside guest memory. */
    public static final class GuestMemory extends BootException {
        private static final long serialVersionUID = 1L;

        public GuestMemory(String message) {
            super(Sysexits.EX_DATAERR, message);
        }
    }

    /** A bad command line. */
    public static final class Usage extends BootException {
        private static final long serialVersionUID = 1L;

        public Usage(String message) {
            super(Sysexits.EX_USAGE, message);
        }
    }
}
