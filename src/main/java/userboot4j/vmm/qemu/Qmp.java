package userboot4j.vmm.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * QEMU's machine protocol on a Unix socket, for what the exit status cannot say: the vCPU's registers,
 * and so whether it halted with interrupts off.
 */
final class Qmp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final BufferedReader in;
    private final Writer out;

    private Qmp(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newWriter(channel, StandardCharsets.UTF_8);
    }

    /** Connects once QEMU has made the socket, and leaves capabilities negotiation. */
    static Qmp connect(Path socket, Process qemu) throws IOException, InterruptedException {
        for (int tries = 0; ; tries++) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                Qmp q = new Qmp(ch);
                q.response(); // the greeting
                q.execute("qmp_capabilities", null);
                return q;
            } catch (IOException e) {
                ch.close();
                if (!qemu.isAlive() || tries >= 100) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    /** A monitor command's text, e.g. {@code info registers}. */
    String human(String command) throws IOException {
        return execute("human-monitor-command", Map.of("command-line", command)).asText();
    }

    private JsonNode execute(String command, Map<String, String> arguments) throws IOException {
        out.write(JSON.writeValueAsString(arguments == null ? Map.of("execute", command)
                : Map.of("execute", command, "arguments", arguments)));
        out.write('\n');
        out.flush();
        return response();
    }

    /** The next reply, past any events. */
    private JsonNode response() throws IOException {
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("QEMU closed its monitor");
            }
            JsonNode n = JSON.readTree(line);
            if (n.has("error")) {
                throw new IOException("QEMU monitor: " + n.path("error").path("desc").asText());
            }
            if (n.has("return")) {
                return n.get("return");
            }
            if (n.has("QMP")) {
                return n;
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
