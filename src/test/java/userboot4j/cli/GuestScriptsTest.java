package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import userboot4j.testsupport.Oracle;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Trees;

/**
 * A guest whose /boot/lua is not FreeBSD's standard set: one warning line names the files, and the boot is
 * the one FreeBSD's loader makes with the standard scripts (the oracle on the same tree with them).
 */
class GuestScriptsTest {
    private static final String WARNING = "userboot4j: warning: /boot/lua differs from FreeBSD ";

    private static Path standard(String name) throws Exception {
        Path t = Oracle.bootable(Trees.probe(), name);
        Trees.delete(t.resolve("i386"));
        return t;
    }

    private static List<String> warnings(ProbeBootTest.Run r) {
        return r.err().lines().filter(l -> l.startsWith("userboot4j:")).toList();
    }

    @Test
    void aChangedMenuLuaIsNamedAndTheBootIsTheStandardOne() throws Exception {
        Path standard = standard("guest-scripts-standard");
        Path changed = Trees.copy(standard, "guest-scripts-menu");
        // a change FreeBSD's loader would act on: the guest's menu.lua sets a variable the kernel gets
        Path menu = changed.resolve("boot/lua/menu.lua");
        Files.writeString(menu, "loader.setenv(\"menu_lua_changed\", \"YES\")\n" + Files.readString(menu));
        JsonNode withTheirs = Oracle.run(changed, "256M", List.of(), null);
        assertThat(withTheirs.path("handoff").path("kenv").toString()).contains("menu_lua_changed=YES");

        ProbeBootTest.Run r = ProbeBootTest.run("inspect", "--json", "-m", "256M", "-h", changed.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(warnings(r)).containsExactly(WARNING + "13.2's standard scripts (menu.lua); booting as the "
                + "standard scripts do");
        JsonNode oracle = Oracle.run(standard, "256M", List.of(), null);
        assertThat(oracle.path("result").asText()).isEqualTo("exec");
        Processes.Result verdict = OracleDifferentialTest.comparePy(r.out().getBytes(StandardCharsets.ISO_8859_1),
                oracle, false);
        assertThat(verdict.out()).endsWith(" 0 differ\n");
        assertThat(verdict.status()).isZero();
    }

    @Test
    void theStandardScriptsOfEitherReleaseGetNoWarning() throws Exception {
        assertThat(warnings(ProbeBootTest.run("inspect", "-h", standard("guest-scripts-13").toString()))).isEmpty();
        Path t15 = standard("guest-scripts-15");
        try (Stream<Path> s = Files.list(Oracle.dir().resolve("lua-15.1"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, t15.resolve("boot/lua").resolve(p.getFileName().toString()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        assertThat(warnings(ProbeBootTest.run("inspect", "-h", t15.toString()))).isEmpty();
    }

    @Test
    void aMissingScriptAnOversizedOneAndALocalLuaAreNamed() throws Exception {
        Path t = standard("guest-scripts-local");
        Files.delete(t.resolve("boot/lua/drawer.lua"));
        Files.write(t.resolve("boot/lua/core.lua"), new byte[2 << 20]);
        Files.writeString(t.resolve("boot/lua/local.lua"), "print(\"local\")\n");
        ProbeBootTest.Run r = ProbeBootTest.run("inspect", "-h", t.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(warnings(r)).containsExactly(WARNING + "13.2's standard scripts (core.lua, drawer.lua (missing), "
                + "local.lua); "
                + "booting as the standard scripts do");
    }
}
