package userboot4j.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external tool and returns its standard output; a failure fails the test with its stderr. */
public final class Processes {
    private Processes() {
    }

    public record Result(int status, String out, String err) {
    }

    public static String run(List<String> cmd, Path dir) throws IOException, InterruptedException {
        Result r = exec(cmd, dir);
        if (r.status() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " exited " + r.status() + ": " + r.err() + r.out());
        }
        return r.out();
    }

    public static Result exec(List<String> cmd, Path dir) throws IOException, InterruptedException {
        return exec(cmd, dir, java.util.Map.of());
    }

    /** {@link #exec(List, Path)} with {@code env} added to the environment. */
    public static Result exec(List<String> cmd, Path dir, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        java.io.File err = java.io.File.createTempFile("userboot4j-", ".err");
        pb.redirectError(err);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish");
        }
        String e = java.nio.file.Files.readString(err.toPath(), StandardCharsets.UTF_8);
        err.delete();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), e);
    }
}
