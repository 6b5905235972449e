package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import userboot4j.BootException;

/**
 * Every mounted dataset of the ../shared/fixtures/zfs manifests, found by name through the DSL (child
 * directory ZAPs, head dataset, object set), has a ZPL master node, and its root directory holds exactly
 * the top-level names the manifest lists for it, plus mount points of child datasets (zfs-fuse's manifests
 * leave those out). The dataset checksummed with edonr, which FreeBSD 13.2's loader cannot verify, ends in
 * a message naming the checksum.
 */
class ZfsDatasetTest {
    static Stream<Arguments> datasets() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (Arguments a : ZfsPoolDiscoveryTest.pools().toList()) {
            JsonNode pool = (JsonNode) a.get()[2];
            for (Iterator<Map.Entry<String, JsonNode>> it = pool.path("datasets").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> ds = it.next();
                if (ds.getValue().has("files")) {
                    out.add(Arguments.of(a.get()[0], a.get()[1], ds.getKey(), pool, ds.getValue().path("files")));
                }
            }
        }
        assertThat(out).as("datasets in the manifests").hasSizeGreaterThan(40);
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("datasets")
    void rootDirectoryMatchesTheManifest(String corpus, String key, String dataset, JsonNode pool, JsonNode files)
            throws Exception {
        try (PoolDisks pd = PoolDisks.open(corpus, pool)) {
            Dsl dsl = new Dsl(new Spa(ZfsPools.discover(pd.volumes()).get(0)));
            if (dataset.endsWith("/edonr")) {
                assertThatThrownBy(() -> dsl.objset(dataset)).isInstanceOf(BootException.Unsupported.class)
                        .hasMessageContaining("checksum edonr is not supported");
                return;
            }
            DnodePhys os = dsl.objset(dataset);
            Map<String, Long> master = dsl.masterNode(os, dataset);
            assertThat(master).containsKeys("ROOT", "VERSION");
            long root = master.get("ROOT");
            Map<String, Long> entries = Zap.entries(dsl.dmu(), dsl.dmu().dnode(os, root, dataset), dataset + ": /");
            Set<String> expected = new TreeSet<>();
            for (Iterator<String> it = files.fieldNames(); it.hasNext(); ) {
                expected.add(it.next().split("/")[1]);
            }
            Set<String> children = new TreeSet<>();
            for (Iterator<String> it = pool.path("datasets").fieldNames(); it.hasNext(); ) {
                String other = it.next();
                if (other.startsWith(dataset + "/") && other.indexOf('/', dataset.length() + 1) < 0) {
                    children.add(other.substring(dataset.length() + 1));
                }
            }
            assertThat(entries.keySet()).as(dataset).containsAll(expected);
            Set<String> extra = new TreeSet<>(entries.keySet());
            extra.removeAll(expected);
            assertThat(children).as(dataset + ": names beyond the manifest's").containsAll(extra);
        }
    }
}
