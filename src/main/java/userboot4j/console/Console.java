package userboot4j.console;

import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * bhyveload's console: standard input and output, or with {@code -c} a character device (an nmdm(4)
 * end) opened read-write and non-blocking as altcons_open opens it. While the loader uses it the terminal
 * is raw (cfmakeraw, plus CLOCAL so a null-modem end needs no carrier); {@link #close} puts back the
 * settings it had, and a shutdown hook does so when the JVM ends another way (a signal, System.exit).
 */
public final class Console implements AutoCloseable {
    /** -c's name for standard input and output, so bhyve's com-port string can be reused. */
    public static final String STDIO = "stdio";
    private static final int STDOUT = 1;
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;

    private final int fd;
    private final boolean owned;
    private Memory saved;
    private Thread hook;

    private Console(int fd, boolean owned) {
        this.fd = fd;
        this.owned = owned;
    }

    /**
     * The console {@code path} names, as altcons_open opens it; null when it cannot be used (missing, not a
     * character device, or open failing), which bhyveload reports as a usage error.
     */
    public static Console open(String path) {
        if (path.equals(STDIO)) {
            return new Console(STDOUT, false);
        }
        try {
            int mode = (Integer) Files.getAttribute(Path.of(path), "unix:mode");
            if ((mode & S_IFMT) != S_IFCHR) {
                return null;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
        int fd = Termios.INSTANCE.open(path, Termios.O_RDWR | Termios.O_NONBLOCK);
        return fd < 0 ? null : new Console(fd, true);
    }

    /** Raw mode, as bhyveload sets it before starting the loader; nothing happens on a non-terminal. */
    public synchronized void raw() {
        Memory t = new Memory(Termios.SIZE);
        t.clear();
        if (saved != null || Termios.INSTANCE.tcgetattr(fd, t) != 0) {
            return;
        }
        saved = new Memory(Termios.SIZE);
        saved.write(0, t.getByteArray(0, Termios.SIZE), 0, Termios.SIZE);
        Termios.INSTANCE.cfmakeraw(t);
        t.setInt(Termios.C_CFLAG, t.getInt(Termios.C_CFLAG) | Termios.CLOCAL);
        Termios.INSTANCE.tcsetattr(fd, Termios.TCSAFLUSH, t);
        hook = new Thread(this::restore, "userboot4j-console-restore");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether the terminal is in raw mode now (output needs CR before LF). */
    public synchronized boolean isRaw() {
        return saved != null;
    }

    /** Writes {@code text} to the console; a line feed becomes CR LF while the terminal is raw. */
    public void print(String text) {
        String s = isRaw() ? text.replace("\n", "\r\n") : text;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        Termios.INSTANCE.write(fd, b, b.length);
    }

    private synchronized void restore() {
        if (saved != null) {
            Termios.INSTANCE.tcsetattr(fd, Termios.TCSAFLUSH, saved);
            saved = null;
        }
    }

    @Override
    public synchronized void close() {
        restore();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down and the hook has run or is running
            }
            hook = null;
        }
        if (owned) {
            Termios.INSTANCE.close(fd);
        }
    }
}
