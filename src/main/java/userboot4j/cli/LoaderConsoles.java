package userboot4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import userboot4j.BootException;
import userboot4j.console.Console;
import userboot4j.loader.Interact;

/** The loader's console for the commands: a terminal, or keys from a file (like the oracle's -k). */
final class LoaderConsoles {
    private LoaderConsoles() {
    }

    /** Prints with each newline as CR LF, as libsa's putchar does. */
    private static void print(OutputStream out, String s) {
        try {
            out.write(s.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A console someone answers (bhyveload's -c, or standard input and output): keys as they are typed. */
    static Interact.Console terminal(Console console) {
        return new Interact.Console() {
            @Override
            public boolean ischar() {
                return console.poll();
            }

            @Override
            public int getchar() {
                return console.getc();
            }

            @Override
            public void print(String s) {
                console.print(s);
            }
        };
    }

    /**
     * The bytes of {@code keys} typed ahead, then the end of input; the screen goes to {@code out}. Its clock
     * is the oracle's fake one, so that a countdown passes at once and shows the same seconds: it moves by
     * each delay and by a millisecond each time it is read.
     */
    static Interact.Console keys(Path keys, OutputStream out) throws BootException {
        byte[] typed;
        try {
            typed = Files.readAllBytes(keys);
        } catch (IOException e) {
            throw new BootException.NotFound(keys + ": cannot read the keys: " + e.getMessage());
        }
        return new Interact.Console() {
            private int next;
            private long microseconds;

            @Override
            public boolean ischar() {
                return next < typed.length;
            }

            @Override
            public int getchar() {
                return next < typed.length ? typed[next++] & 0xff : -1;
            }

            @Override
            public void print(String s) {
                LoaderConsoles.print(out, s);
            }

            @Override
            public long time() {
                long seconds = microseconds / 1_000_000;
                microseconds += 1000;
                return seconds;
            }

            @Override
            public void delay(int us) {
                microseconds += us;
            }
        };
    }
}
