package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import userboot4j.BootException;

/**
 * Every regular file of every manifest dataset, looked up by path and read through the ZPL, has the
 * manifest's size and sha256 (all-zero files are holes past the last written block), whatever the
 * dataset's compression (lzjb, gzip, zle, lz4, zstd at levels 3 and 19) and checksum (fletcher4, sha512,
 * salted skein); the dataset checksummed with edonr, which FreeBSD 13.2's loader cannot verify, is refused
 * naming the checksum.
 */
class ZfsFileReadTest {
    static final String EDONR = "ozlz4/ROOT/default/edonr";

    /** The manifest datasets but the one checksummed with edonr. */
    static Stream<Arguments> datasets() throws Exception {
        return ZfsDatasetTest.datasets().filter(a -> !a.get()[2].equals(EDONR));
    }

    @Test
    void edonrDatasetIsRefused() throws Exception {
        try (PoolDisks pd = PoolDisks.open("openzfs-modern", PoolDisks.pool("openzfs-modern", "ozlz4"))) {
            Dsl dsl = new Dsl(new Spa(ZfsPools.discover(pd.volumes()).get(0)));
            assertThatThrownBy(() -> new Zpl(dsl, EDONR)).isInstanceOf(BootException.Unsupported.class)
                    .hasMessageMatching(EDONR + ": object set \\(disk0 offset 0x[0-9a-f]+\\): checksum edonr is not "
                            + "supported");
        }
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("datasets")
    void filesMatchTheManifest(String corpus, String key, String dataset, JsonNode pool, JsonNode files)
            throws Exception {
        int read = 0;
        try (PoolDisks pd = PoolDisks.open(corpus, pool)) {
            Zpl zpl = new Zpl(new Dsl(new Spa(ZfsPools.discover(pd.volumes()).get(0))), dataset);
            for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getValue().path("type").asText().equals("file")) {
                    continue;
                }
                assertMatches(zpl, dataset, f.getKey(), f.getValue());
                read++;
            }
        }
        assertThat(read).as("regular files checked").isEqualTo(countFiles(files));
    }

    /** The file at {@code path} has the size and sha256 of its manifest entry {@code f}. */
    static void assertMatches(Zpl zpl, String dataset, String path, JsonNode f) throws Exception {
        Zpl.Znode z = zpl.lookup(path);
        assertThat(z.size()).as(dataset + ":" + path).isEqualTo(f.path("size").asLong());
        byte[] data = zpl.read(z, 64 << 20, path);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(sha).as(dataset + ":" + path).isEqualTo(f.path("sha256").asText());
    }

    private static int countFiles(JsonNode files) {
        int n = 0;
        for (JsonNode f : files) {
            n += f.path("type").asText().equals("file") ? 1 : 0;
        }
        return n;
    }
}
