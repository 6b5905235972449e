package userboot4j.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import userboot4j.Sysexits;

/**
 * The command line as hostile images meet it: each command in a JVM of its own with a 256 MiB heap (a
 * length field cannot make it allocate what the image does not justify), given 20 seconds (nothing on it
 * loops); a refusal is one line with a sysexits status and no stack trace.
 */
public final class HostileCli {
    private HostileCli() {
    }

    public static Processes.Result cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), "userboot4j.cli.Main"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("still running after 20 s: " + String.join(" ", args));
            }
            return new Processes.Result(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
                    new String(err.get(), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code r} ended in one line holding {@code parts}, with status EX_DATAERR and no stack trace. A warning
     * before it (a UFS2 superblock FreeBSD's loader would not find) is not part of the refusal.
     */
    public static void assertOneLine(Processes.Result r, String... parts) {
        assertThat(r.status()).as(r.err()).isEqualTo(Sysexits.EX_DATAERR);
        assertThat(r.err().lines().filter(l -> !l.startsWith("userboot4j: warning: ")).count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("\tat ").contains(parts);
    }
}
