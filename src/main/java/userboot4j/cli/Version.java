package userboot4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code userboot4j --version} prints: the build's version and the FreeBSD loader it reproduces. A class,
 * not a lambda: a lambda links picocli's interface while the class-data archive is dumped, and a linked
 * Java 5 class (picocli's jar as it is, without StackMapClasses) is left out of it.
 */
final class Version implements IVersionProvider {
    /** The release whose loader (bhyveload, userboot.so and its Lua scripts) userboot4j reproduces. */
    static final String FREEBSD_LOADER = "FreeBSD 13.2";

    @Override
    public String[] getVersion() throws IOException {
        Properties build = new Properties();
        // written by the build from the Maven project's version (src/main/resources, filtered)
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IOException("version.properties is missing from the build");
            }
            build.load(in);
        }
        return new String[] {"userboot4j " + build.getProperty("version"),
            "the bhyve loader of " + FREEBSD_LOADER + ": bhyveload(8) with userboot.so and its Lua loader"};
    }
}
