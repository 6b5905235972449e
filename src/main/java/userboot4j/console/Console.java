package userboot4j.console;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * bhyveload's console: keys from standard input and the screen on standard output, or with {@code -c} both
 * on a character device (an nmdm(4) end) opened read-write and non-blocking as altcons_open opens it. Its
 * calls are bhyveload's console callbacks (cb_poll, cb_getc, cb_putc). While the loader uses it the
 * terminal is raw (cfmakeraw, plus CLOCAL so a null-modem end needs no carrier); {@link #close} puts back
 * the settings it had, and a shutdown hook does so when the JVM ends another way (a signal, System.exit).
 */
public final class Console implements AutoCloseable {
    /** -c's name for standard input and output, so bhyve's com-port string can be reused. */
    public static final String STDIO = "stdio";
    private static final int STDIN = 0;
    private static final int STDOUT = 1;
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    /** libsa's getchar waits this long between polls of its consoles. */
    private static final long GETCHAR_DELAY_MS = 30;

    /** consin_fd and consout_fd. */
    private final int in;
    private final int out;
    private final boolean owned;
    private Memory saved;
    private Thread hook;

    private Console(int in, int out, boolean owned) {
        this.in = in;
        this.out = out;
        this.owned = owned;
    }

    /**
     * The console {@code path} names, as altcons_open opens it; null when it cannot be used (missing, not a
     * character device, or open failing), which bhyveload reports as a usage error.
     */
    public static Console open(String path) {
        if (path.equals(STDIO)) {
            return new Console(STDIN, STDOUT, false);
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
        return fd < 0 ? null : new Console(fd, fd, true);
    }

    /** True when keys come from a terminal and the screen is one: someone can answer the loader. */
    public boolean isTerminal() {
        return Termios.INSTANCE.isatty(in) == 1 && Termios.INSTANCE.isatty(out) == 1;
    }

    /** Raw mode, as bhyveload sets it before starting the loader; nothing happens on a non-terminal. */
    public synchronized void raw() {
        Memory t = new Memory(Termios.SIZE);
        t.clear();
        if (saved != null || Termios.INSTANCE.tcgetattr(out, t) != 0) {
            return;
        }
        saved = new Memory(Termios.SIZE);
        saved.write(0, t.getByteArray(0, Termios.SIZE), 0, Termios.SIZE);
        Termios.INSTANCE.cfmakeraw(t);
        t.setInt(Termios.C_CFLAG, t.getInt(Termios.C_CFLAG) | Termios.CLOCAL);
        Termios.INSTANCE.tcsetattr(out, Termios.TCSAFLUSH, t);
        hook = new Thread(this::restore, "userboot4j-console-restore");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** cb_poll: true when a key is waiting (FIONREAD counts some); false where FIONREAD fails. */
    public boolean poll() {
        IntByReference n = new IntByReference();
        return Termios.INSTANCE.ioctl(in, Termios.FIONREAD, n) >= 0 && n.getValue() > 0;
    }

    /**
     * cb_getc as libsa's getchar calls it, again until a key comes (a non-blocking device has none yet); -1
     * when none will: end of file, or the device gone. bhyveload would wait on forever.
     */
    public int getc() {
        byte[] c = new byte[1];
        while (true) {
            long n = Termios.INSTANCE.read(in, c, 1);
            if (n == 1) {
                return c[0] & 0xff;
            }
            int errno = Native.getLastError();
            if (n == 0 || (errno != Termios.EAGAIN && errno != Termios.EINTR)) {
                return -1;
            }
            try {
                Thread.sleep(GETCHAR_DELAY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    /** cb_putc for each byte of {@code text}, a line feed as CR LF as libsa's putchar sends it. */
    public void print(String text) {
        byte[] b = text.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        Termios.INSTANCE.write(out, b, b.length);
    }

    private synchronized void restore() {
        if (saved != null) {
            Termios.INSTANCE.tcsetattr(out, Termios.TCSAFLUSH, saved);
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
            Termios.INSTANCE.close(in);
        }
    }
}
