package userboot4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** libsa keeps the environment sorted by name in byte order (reference §5.1). */
class EnvironmentTest {
    @Test
    void sortedByBytesWithValuelessVariables() {
        Environment env = new Environment();
        env.set("boot_serial", "1");
        env.set("LINES", "24");
        env.put("noval");
        env.set("a.b", "x");
        env.set("a_b", "y");
        env.set("boot_serial", "YES");
        assertThat(env.entries()).containsExactly("LINES=24", "a.b=x", "a_b=y", "boot_serial=YES", "noval=");
        assertThat(new String(env.block(), StandardCharsets.ISO_8859_1))
                .isEqualTo("LINES=24\0a.b=x\0a_b=y\0boot_serial=YES\0noval=\0\0");
    }

    @Test
    void bhyveloadStringsArriveLastFirstSoTheFirstDashEWins() {
        Environment env = Userboot.initialEnvironment(List.of("x=first", "x=second", "boot_serial=NO"));
        assertThat(env.get("x")).isEqualTo("first");
        assertThat(env.get("boot_serial")).isEqualTo("NO");
        assertThat(env.get("smbios.bios.vendor")).isEqualTo("BHYVE");
    }
}
