package userboot4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** loader.conf lines as FreeBSD 13's config.lua reads them (reference §7.1 and stand/lua/config.lua). */
class LoaderConfTest {
    private final List<String> events = new ArrayList<>();
    private final LoaderConf.Sink sink = new LoaderConf.Sink() {
        @Override
        public void moduleProperty(String module, String property, String value) {
            events.add("module " + module + "." + property + "=" + value);
        }

        @Override
        public void exec(String command) {
            events.add("exec " + command);
        }

        @Override
        public void assign(String name, String rawValue) {
            events.add("env " + name + "=" + rawValue);
        }

        @Override
        public void malformed(int lineNumber, String line) {
            events.add("malformed " + lineNumber);
        }
    };

    @Test
    void moduleLinesAreNotEnvironment() {
        boolean ok = LoaderConf.parse("linux64_load=\"YES\"\nzfs_load=yes\nfoo_name=\"/boot/x\"\n"
                + "foo_type=\"md_image\"\nfoo_flags=\"-v\"\nfoo_before=\"echo a\"\nfoo_after=\"echo b\"\n"
                + "foo_error=\"echo c\"\n", sink);
        assertThat(ok).isTrue();
        assertThat(events).containsExactly("module linux64.load=YES", "module zfs.load=YES",
                "module foo.name=/boot/x", "module foo.type=md_image", "module foo.flags=-v",
                "module foo.before=echo a", "module foo.after=echo b", "module foo.error=echo c");
    }

    @Test
    void assignmentsCommentsAndBlankLines() {
        boolean ok = LoaderConf.parse("# a comment\n\n   \nkernel=\"kernel\"\t\t# trailing\n"
                + "autoboot_delay=-1\nhint.uart.0.flags=\"0x10\"\nexec=\"echo hi\"\n", sink);
        assertThat(ok).isTrue();
        assertThat(events).containsExactly("env kernel=kernel", "env autoboot_delay=-1",
                "env hint.uart.0.flags=0x10", "exec echo hi");
    }

    @Test
    void quotedValueRunsToTheLastQuote() {
        // config.lua's "(.*)" is greedy; the quote left inside makes processEnvVar fail later.
        LoaderConf.parse("a=\"x\" # say \"hi\"\n", sink);
        assertThat(events).containsExactly("env a=x\" # say \"hi");
        String[] err = new String[1];
        assertThat(LoaderConf.expand("x\" # say \"hi", new Environment(), err)).isNull();
        assertThat(err[0]).isEqualTo("Stray quote at position '2'");
    }

    @Test
    void malformedLinesAreCountedAmongNonEmptyLines() {
        boolean ok = LoaderConf.parse("a=\"1\"\n\nb = two words\n=x\n", sink);
        assertThat(ok).isFalse();
        assertThat(events).containsExactly("env a=1", "malformed 2", "malformed 3");
    }

    @Test
    void expansionOfVariablesAndEscapes() {
        Environment env = new Environment();
        env.set("kernel", "kernel.old");
        String[] err = new String[1];
        assertThat(LoaderConf.expand("/boot/${kernel}/x", env, err)).isEqualTo("/boot/kernel.old/x");
        assertThat(LoaderConf.expand("$kernel;$unset;\\$x", env, err)).isEqualTo("kernel.old;;$x");
        assertThat(LoaderConf.expand("a$", env, err)).isNull();
        assertThat(err[0]).isEqualTo("Unescaped $ at end of line");
        assertThat(LoaderConf.expand("a\\", env, err)).isNull();
        assertThat(err[0]).isEqualTo("Stray escape at end of line");
    }
}
