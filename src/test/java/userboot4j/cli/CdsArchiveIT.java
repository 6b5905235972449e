package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import userboot4j.testsupport.Trees;

/**
 * The packaged command as users start it: bin/userboot4j maps the class-data-sharing archive the build
 * made for this JVM (named by its java.runtime.version, which the launcher reads from the JDK's release
 * file), and every userboot4j and picocli class a GENERIC boot needs comes from it (none is loaded and
 * parsed from the jar), picocli's already verified. Runs after {@code package} (failsafe); a class missing
 * here means src/main/cds/classlist is stale: scripts/cds-classlist remakes it.
 */
class CdsArchiveIT {
    @Test
    void inspectLoadsItsClassesFromTheArchive() throws Exception {
        Path top = Path.of("").toAbsolutePath();
        assertThat(top.resolve("target/userboot4j-" + System.getProperty("java.runtime.version") + ".jsa"))
                .as("the archive the build makes").isRegularFile();
        Path tree = Trees.generic();
        Path log = Files.createTempFile("class-load", ".txt");
        ProcessBuilder pb = new ProcessBuilder(top.resolve("bin/userboot4j").toString(), "inspect", "-h", tree.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("JAVA_OPTS", "-Xlog:class+load,class+init=info:file=" + log);
        pb.environment().remove("USERBOOT4J_CLASSPATH");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        List<String> loaded = Files.readAllLines(log);
        Files.delete(log);
        // picocli's classes have stack maps (StackMapClasses), so the archive holds them verified
        assertThat(loaded).as("classes verified at start-up").noneMatch(l -> l.contains("verification for: picocli."));
        for (String prefix : List.of(" userboot4j.", " picocli.")) {
            List<String> ours = loaded.stream().filter(l -> l.contains(prefix)).toList();
            assertThat(ours).as(prefix + " classes loaded").hasSizeGreaterThan(50);
            assertThat(ours).as(prefix + " classes loaded from outside the archive")
                    .allMatch(l -> l.endsWith("source: shared objects file"));
        }
    }
}
