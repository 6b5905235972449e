package userboot4j.cli;

import java.io.IOException;
import java.util.List;
import userboot4j.BootException;

/**
 * The controlling terminal in raw mode while a guest owns the console (every key goes to the guest, no
 * echo), restored when closed and, should the JVM be ended another way, by a shutdown hook. Uses stty(1)
 * on /dev/tty, as bhyveload uses cfmakeraw on its console.
 */
final class RawTerminal implements AutoCloseable {
    private final String saved;
    private final Thread hook;
    private boolean restored;

    private RawTerminal(String saved) {
        this.saved = saved;
        this.hook = new Thread(this::restore, "userboot4j-terminal-restore");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static RawTerminal enter() throws BootException {
        String saved = stty(List.of("-g")).trim();
        stty(List.of("raw", "-echo"));
        return new RawTerminal(saved);
    }

    private static String stty(List<String> args) throws BootException {
        List<String> cmd = new java.util.ArrayList<>(List.of("stty", "-F", "/dev/tty"));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new BootException.Io("stty " + String.join(" ", args) + ": " + out.trim(), null);
            }
            return out;
        } catch (IOException e) {
            throw new BootException.Io("stty: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BootException.Io("stty interrupted", e);
        }
    }

    private synchronized void restore() {
        if (!restored) {
            restored = true;
            try {
                stty(List.of(saved));
            } catch (BootException e) {
                System.err.println("userboot4j: could not restore the terminal: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook restores the terminal
        }
    }
}
