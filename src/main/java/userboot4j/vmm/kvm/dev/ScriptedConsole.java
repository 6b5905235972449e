package userboot4j.vmm.kvm.dev;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A console that answers the guest from a script instead of a keyboard: each step waits for some text in
 * the guest's output, then types its reply. When the last step's text has appeared the script is
 * {@link #finished()}. Script files have one step element per line, {@code expect: TEXT} or
 * {@code send: TEXT}, with {@code \n}, {@code \r}, {@code \t} and {@code \\} escapes.
 */
public final class ScriptedConsole {
    /** Wait for {@code expect} (null: nothing), then type {@code send} (null: nothing). */
    public record Step(String expect, String send) {
    }

    private final Deque<Step> steps;
    private final StringBuilder seen = new StringBuilder();
    private final Deque<Byte> typed = new ArrayDeque<>();
    private final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    private int searchFrom;
    private boolean finished;

    public ScriptedConsole(List<Step> steps) {
        this.steps = new ArrayDeque<>(steps);
        advance();
    }

    /** Parses a script file's text. */
    public static ScriptedConsole parse(String text) {
        List<Step> out = new ArrayList<>();
        String expect = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("expect: ")) {
                if (expect != null) {
                    out.add(new Step(expect, null));
                }
                expect = unescape(line.substring(8));
            } else if (line.startsWith("send: ")) {
                out.add(new Step(expect, unescape(line.substring(6))));
                expect = null;
            } else if (!line.isBlank() && !line.startsWith("#")) {
                throw new IllegalArgumentException("script line is neither 'expect: ' nor 'send: ': " + line);
            }
        }
        if (expect != null) {
            out.add(new Step(expect, null));
        }
        return new ScriptedConsole(out);
    }

    static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t").replace("\\\\", "\\");
    }

    /** Output the guest writes; {@code passthrough} also receives it (may be null). */
    public OutputStream output(OutputStream passthrough) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                synchronized (ScriptedConsole.this) {
                    seen.append((char) (b & 0xff));
                    transcript.write(b);
                    advance();
                }
                if (passthrough != null) {
                    passthrough.write(b);
                }
            }

            @Override
            public void flush() throws IOException {
                if (passthrough != null) {
                    passthrough.flush();
                }
            }
        };
    }

    /** What the script types, available to the guest when its step's text has appeared. */
    public InputStream input() {
        return new InputStream() {
            @Override
            public int available() {
                synchronized (ScriptedConsole.this) {
                    return typed.size();
                }
            }

            @Override
            public int read() {
                synchronized (ScriptedConsole.this) {
                    return typed.isEmpty() ? -1 : typed.poll() & 0xff;
                }
            }
        };
    }

    /** Runs every step whose text has appeared (a step without text runs at once). */
    private void advance() {
        while (!steps.isEmpty()) {
            Step s = steps.peek();
            if (s.expect() != null) {
                int at = seen.indexOf(s.expect(), searchFrom);
                if (at < 0) {
                    return;
                }
                searchFrom = at + s.expect().length();
            }
            steps.poll();
            if (s.send() != null) {
                for (byte b : s.send().getBytes(StandardCharsets.ISO_8859_1)) {
                    typed.add(b);
                }
            }
        }
        finished = true;
    }

    /** True once every step has run. */
    public synchronized boolean finished() {
        return finished;
    }

    /** Everything the guest wrote. */
    public synchronized String transcript() {
        return transcript.toString(StandardCharsets.ISO_8859_1);
    }
}
