package userboot4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Boot flags from arguments, boot_* variables and console (reference §5.3; RB_* from sys/reboot.h). */
class HowtoTest {
    @Test
    void argumentsAreParsedLikeBootParseCmdline() {
        Environment env = new Environment();
        assertThat(Howto.fromArgs("-sv", env)).isEqualTo(0x2 | 0x800);
        assertThat(Howto.fromArgs("-s -h", env)).isEqualTo(0x2 | 0x1000);
        assertThat(Howto.fromArgs("-sxv", env)).isEqualTo(0x2 | 0x800);
        assertThat(Howto.fromArgs("-Pa", env)).isEqualTo(0x10000000 | 0x1);
        assertThat(Howto.fromArgs(null, env)).isZero();
        assertThat(env.entries()).isEmpty();
        assertThat(Howto.fromArgs("foo -s bar=baz -S9600", env)).isEqualTo(0x2);
        assertThat(env.entries()).containsExactly("bar=baz", "comconsole_speed=9600", "foo=1");
        assertThat(Howto.afterParsing("foo -s bar=baz")).isEqualTo("foo");
    }

    @Test
    void environmentFlagsUnlessNo() {
        Environment env = new Environment();
        env.set("boot_serial", "1");
        env.set("boot_verbose", "NO");
        env.set("boot_single", "YES");
        env.put("boot_mute");
        assertThat(Howto.compute(null, env)).isEqualTo(0x1000 | 0x2 | 0x10000);
    }

    @Test
    void consoleNames() {
        Environment env = new Environment();
        env.set("console", "comconsole vidconsole");
        assertThat(Howto.compute(null, env)).isEqualTo(0x1000 | 0x20000000);
        env.set("boot_serial", "1");
        // boot_serial sets RB_SERIAL, video with serial adds RB_MULTIPLE, and "vidconsole" alone clears serial.
        env.set("console", "vidconsole");
        assertThat(Howto.compute(null, env)).isEqualTo(0x20000000);
        env.set("console", "userboot");
        assertThat(Howto.compute(null, env)).isEqualTo(0x1000);
    }
}
