package userboot4j.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import userboot4j.BootException;
import userboot4j.fs.host.HostFileSystem;
import userboot4j.testsupport.Trees;

/**
 * The release profile comes from the guest's config.lua, as FreeBSD ships it in each release's GENERIC /boot
 * (the boots that follow are judged by each release's own loader in OracleDifferentialTest).
 */
class ReleaseChoiceTest {
    private static ReleaseChoice of(Path tree) throws Exception {
        try (HostFileSystem fs = HostFileSystem.open(tree)) {
            return ReleaseChoice.of(fs);
        }
    }

    @Test
    void freeBsd13TreeIs13() throws Exception {
        assertThat(of(Trees.generic()).release()).isEqualTo(LoaderRelease.FREEBSD_13);
    }

    @Test
    void freeBsd15TreeIs15() throws Exception {
        ReleaseChoice c = of(Trees.generic15());
        assertThat(c.release()).isEqualTo(LoaderRelease.FREEBSD_15);
        assertThat(c.reason()).isEqualTo("host0:/boot/lua/config.lua puts module settings in the environment");
    }

    /** 15.1's config.lua without the lines that export module settings reads loader.conf.local as 14.1's does. */
    @Test
    void localConfFilesWithoutExportsIs14() throws Exception {
        Path tree = Trees.copy(Trees.generic15(), "release-14");
        Path config = tree.resolve("boot/lua/config.lua");
        String script = Files.readString(config);
        String stripped = script.replaceAll("(?m)^\\s*setEnv\\(k \\.\\. \"_[a-z]+\", v[^\\n]*\\n", "");
        assertThat(stripped).isNotEqualTo(script);
        Files.writeString(config, stripped);
        assertThat(of(tree).release()).isEqualTo(LoaderRelease.FREEBSD_14);
    }

    @Test
    void noScriptsIs13() throws Exception {
        Path tree = Trees.copy(Trees.generic15(), "release-none");
        Trees.delete(tree.resolve("boot/lua"));
        ReleaseChoice c = of(tree);
        assertThat(c.release()).isEqualTo(LoaderRelease.FREEBSD_13);
        assertThat(c.reason()).startsWith("no host0:/boot/lua/config.lua");
    }

    @Test
    void releaseNames() throws Exception {
        assertThat(LoaderRelease.parse("15.1")).isEqualTo(LoaderRelease.FREEBSD_15);
        assertThat(LoaderRelease.parse("14")).isEqualTo(LoaderRelease.FREEBSD_14);
        assertThat(LoaderRelease.parse("13.5")).isEqualTo(LoaderRelease.FREEBSD_13);
        assertThatThrownBy(() -> LoaderRelease.parse("12.4")).isInstanceOf(BootException.Usage.class)
                .hasMessage("unknown loader release '12.4' (13, 14 or 15, e.g. 15.1)");
        assertThatThrownBy(() -> LoaderRelease.parse("15.x")).isInstanceOf(BootException.Usage.class);
    }
}
