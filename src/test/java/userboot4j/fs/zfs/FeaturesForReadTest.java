package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import userboot4j.testsupport.Oracle;

/**
 * Each release's features_for_read against that release's own loader: FreeBSD 13.2's and 15.1's
 * userboot.so hold every name of their list, and 13.2's none of those later releases added. A feature no
 * release reads (edonr, active on OpenZFS 2.1's ozlz4) is refused by name whichever release decides.
 */
class FeaturesForReadTest {
    /** The feature guids (owner:name) among the strings of {@code lib}'s userboot.so. */
    static Set<String> guidsIn(String lib) throws Exception {
        String so = new String(Files.readAllBytes(Oracle.dir().resolve(lib).resolve("userboot_lua.so")),
                StandardCharsets.ISO_8859_1);
        Set<String> out = new HashSet<>();
        Matcher m = Pattern.compile("((?:com|org)\\.[a-z-]+:[a-z0-9_]+)\0").matcher(so);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void everyListIsInItsReleasesLoader() throws Exception {
        Set<String> freebsd13 = guidsIn("lib");
        Set<String> freebsd15 = guidsIn("lib-15.1");
        assertThat(freebsd13).containsAll(FeaturesForRead.FREEBSD_13.names());
        assertThat(freebsd15).containsAll(FeaturesForRead.FREEBSD_15.names());
        Set<String> added = new HashSet<>(FeaturesForRead.FREEBSD_15.names());
        added.removeAll(FeaturesForRead.FREEBSD_13.names());
        assertThat(added).isNotEmpty().doesNotContainAnyElementsOf(freebsd13);
        assertThat(FeaturesForRead.FREEBSD_15.names()).containsAll(FeaturesForRead.FREEBSD_14.names());
        assertThat(FeaturesForRead.FREEBSD_14.names()).containsAll(FeaturesForRead.FREEBSD_13.names());
    }

    @Test
    void aFeatureNoReleaseReadsIsRefusedByName() throws Exception {
        try (PoolDisks pd = PoolDisks.open("openzfs-modern", PoolDisks.pool("openzfs-modern", "ozlz4"))) {
            ZfsPools.Pool pool = ZfsPools.discover(pd.volumes()).get(0);
            for (FeaturesForRead release : FeaturesForRead.values()) {
                assertThat(ZfsBoot.refusals(pool, new Dsl(new Spa(pool, release)))).as(release.release())
                        .contains("unsupported feature: org.illumos:edonr");
            }
        }
        assertThat(List.of(FeaturesForRead.values())).noneMatch(r -> r.reads("org.illumos:edonr"));
    }
}
