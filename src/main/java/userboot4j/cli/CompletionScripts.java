package userboot4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;

/**
 * Writes the shell completion scripts for {@code userboot4j}, at build time (pom.xml): picocli's generator
 * makes one script from the same command line the program parses, for bash and for zsh (which runs it
 * through its bashcompinit). DIR/userboot4j.bash and DIR/userboot4j.zsh.
 */
public final class CompletionScripts {
    private CompletionScripts() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CompletionScripts DIR");
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        String script = AutoComplete.bash("userboot4j", Main.commandLine(Main.commands()));
        Files.writeString(dir.resolve("userboot4j.bash"), script);
        Files.writeString(dir.resolve("userboot4j.zsh"), script);
    }
}
