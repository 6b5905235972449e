package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import userboot4j.cli.Main;
import userboot4j.disk.DiskImage;
import userboot4j.disk.Volume;
import userboot4j.testsupport.Images;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;

/**
 * Pool discovery on every pool of ../shared/fixtures/zfs (OpenZFS's test pools, zfs-fuse's, OpenZFS 2.1's
 * and the bootable one), iterating over the manifests: labels found and checksum-verified, the pool's name,
 * version and layout as the manifest records them, every disk matched by GUID; and with the first disk held back,
 * a message that names it.
 */
class ZfsPoolDiscoveryTest {
    static final List<String> CORPORA = List.of("openzfs-blockfiles", "zfs-fuse", "openzfs-modern", "bootable");

    static Stream<Arguments> pools() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (String corpus : CORPORA) {
            Path manifest = Require.sharedFixture("fixtures/zfs/" + corpus + "/MANIFEST.json");
            JsonNode m = new ObjectMapper().readTree(manifest.toFile());
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.add(Arguments.of(corpus, e.getKey(), e.getValue()));
            }
        }
        return out.stream();
    }

    static Path unpack(String corpus, String file) throws Exception {
        return userboot4j.testsupport.ZfsFixtures.unpack(corpus, file);
    }

    /** Disks listed under "spares" in zpool status and nowhere above it: their labels name no pool. */
    static int idleSpares(String config) {
        String[] parts = config.split("\n\\s*spares\n");
        if (parts.length < 2) {
            return 0;
        }
        int n = 0;
        for (String line : parts[1].split("\n")) {
            String disk = line.trim().split("\\s+")[0];
            if (!disk.isEmpty() && !parts[0].contains(disk)) {
                n++;
            }
        }
        return n;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pools")
    void discovered(String corpus, String key, JsonNode pool) throws Exception {
        try (PoolDisks pd = PoolDisks.open(corpus, pool)) {
            List<DiskImage> disks = pd.images();
            List<ZfsPools.Pool> found = ZfsPools.discover(pd.volumes());
            assertThat(found).as(key).hasSize(1);
            ZfsPools.Pool p = found.get(0);
            assertThat(p.name()).isEqualTo(pool.path("name").asText(key));
            String version = pool.path("version").asText("");
            java.util.regex.Matcher named = java.util.regex.Pattern.compile("v(\\d+)-pool").matcher(key);
            if (version.matches("\\d+")) {
                assertThat(p.version()).isEqualTo(Long.parseLong(version));
            } else if (named.matches()) {
                assertThat(p.version()).isEqualTo(Long.parseLong(named.group(1)));
            } else if (corpus.equals("zfs-fuse")) {
                assertThat(p.version()).isEqualTo(23);
            } else {
                assertThat(p.version()).isEqualTo(5000);
            }
            String layout = pool.path("layout").asText(pool.path("config").asText("").split("\n").length > 1
                    ? pool.path("config").asText().split("\n")[1].trim().split("\\s+")[0] : "");
            NvList top = p.vdevTree();
            if (layout.startsWith("mirror")) {
                assertThat(top.string("type")).isEqualTo("mirror");
            } else if (layout.startsWith("raidz")) {
                assertThat(top.string("type")).isEqualTo("raidz");
                long parity = layout.startsWith("raidz2") ? 2L : 1L;
                if (top.number("nparity") == null) {
                    // pools older than version 3 (SPA_VERSION_RAIDZ2) knew only single parity and did not record it
                    assertThat(p.version()).isLessThan(3);
                    assertThat(parity).isEqualTo(1L);
                } else {
                    assertThat(top.number("nparity")).isEqualTo(parity);
                }
            }
            boolean online = !pool.path("state").asText("ONLINE").equals("DEGRADED");
            if (online) {
                assertThat(p.missing()).as(key).isEmpty();
                assertThat(p.devices()).hasSize(disks.size() - idleSpares(pool.path("config").asText("")));
            }
            assertThat(p.uberblock()).isNotNull();
            if (online && disks.size() > 1) {
                List<ZfsPools.Pool> partial = ZfsPools.discover(new ArrayList<Volume>(disks.subList(1, disks.size())));
                if (p.config().number("vdev_children") != null || layout.matches("(mirror|raidz|spare).*")) {
                    assertThat(partial.get(0).missing()).as(key).isNotEmpty();
                } else {
                    // before vdev_children (pool version 14ish) a stripe's labels do not say how many
                    // top-level vdevs there are: the loss shows as one top-level vdev fewer
                    assertThat(partial.get(0).topLevel()).hasSize(p.topLevel().size() - 1);
                }
            }
        }
    }

    /**
     * lsdev finds a pool inside GPT partitions (sgdisk's tables around OpenZFS's pool-v3mirror disks) and
     * shows it degraded, with the disk it lacks in state UNKNOWN (vdev_set_state's word for a leaf no disk
     * holds, as FreeBSD 13.2's lsdev -v prints it: LsdevTest), when one is left out.
     */
    @Test
    void lsdevFindsPoolsInPartitions() throws Exception {
        JsonNode pool = new ObjectMapper().readTree(Require.sharedFixture(
                "fixtures/zfs/openzfs-blockfiles/MANIFEST.json").toFile()).path("pool-v3mirror");
        List<String> args = new ArrayList<>(List.of("lsdev", "-v"));
        for (JsonNode d : pool.path("disks")) {
            Path img = unpack("openzfs-blockfiles", d.asText());
            args.add("-d");
            args.add(Images.gpt(img, Trees.target().resolve("zfs-gpt-" + img.getFileName())).toString());
        }
        String all = lsdev(args);
        assertThat(all).contains("disk0p2:", "  pool: " + pool.path("name").asText(), "mirror-0 ONLINE")
                .doesNotContain("UNKNOWN");
        String partial = lsdev(args.subList(0, args.size() - 2));
        assertThat(partial).contains("  pool: " + pool.path("name").asText(), "mirror-0 DEGRADED", " UNKNOWN");
    }

    private static String lsdev(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(Main.run(args.toArray(String[]::new), new PrintStream(out, true), new PrintStream(err, true)))
                .as(err.toString()).isZero();
        return out.toString();
    }
}
