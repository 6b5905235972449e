package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import userboot4j.disk.Volume;

/**
 * The first block of every pool in ../shared/fixtures/zfs: the meta object set its best uberblock points to
 * is read, its checksum (written by OpenZFS or zfs-fuse) verified, decompressed, and found to be an
 * objset_phys of type DMU_OST_META. Across the corpus that exercises fletcher4 and the LZJB and LZ4
 * decoders on real blocks, and a degraded mirror answering from its good side.
 */
class ZfsBlockReadTest {
    static final int OS_TYPE = 512 + 192; // objset_phys: meta dnode, ZIL header, then os_type
    static final long DMU_OST_META = 1;
    static final Set<Integer> COMPRESSIONS = new TreeSet<>();
    static final Set<Integer> CHECKSUMS = new TreeSet<>();

    static Stream<Arguments> pools() throws Exception {
        return ZfsPoolDiscoveryTest.pools();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pools")
    void metaObjsetReads(String corpus, String key, JsonNode pool) throws Exception {
        try (PoolDisks pd = PoolDisks.open(corpus, pool)) {
            ZfsPools.Pool p = ZfsPools.discover(pd.volumes()).get(0);
            Blkptr bp = p.uberblock().rootbp();
            Spa spa = new Spa(p);
            byte[] os = spa.read(bp, key);
            assertThat(os.length).isEqualTo(bp.lsize()).isGreaterThanOrEqualTo(OS_TYPE + 8);
            ByteOrder order = bp.littleEndian() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            assertThat(ByteBuffer.wrap(os).order(order).getLong(OS_TYPE)).as(key).isEqualTo(DMU_OST_META);
            synchronized (COMPRESSIONS) {
                COMPRESSIONS.add(bp.compress());
                CHECKSUMS.add(bp.checksum());
            }
        }
    }

    @AfterAll
    static void corpusCoversTheDecoders() {
        if (COMPRESSIONS.isEmpty()) {
            return; // metaObjsetReads was not selected in this run
        }
        assertThat(COMPRESSIONS).contains(ZioCompress.LZJB, ZioCompress.LZ4);
        assertThat(CHECKSUMS).contains(ZioChecksum.FLETCHER_4);
    }

    /** The pools zpool status shows with a raidz top-level vdev. */
    static Stream<Arguments> raidzPools() throws Exception {
        List<Arguments> raidz = pools().filter(a -> ((JsonNode) a.get()[2]).path("config").asText().contains("raidz"))
                .toList();
        assertThat(raidz).as("raidz pools in the corpus").hasSizeGreaterThanOrEqualTo(4);
        return raidz.stream();
    }

    /** Every raidz pool with each of its disks held back in turn: the block comes back through parity. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("raidzPools")
    void raidzReadsWithOneDiskMissing(String corpus, String key, JsonNode pool) throws Exception {
        try (PoolDisks pd = PoolDisks.open(corpus, pool)) {
            ZfsPools.Pool whole = ZfsPools.discover(pd.volumes()).get(0);
            assertThat(whole.vdevTree().string("type")).isEqualTo("raidz");
            for (int held = 0; held < pd.images().size(); held++) {
                List<Volume> some = pd.volumes();
                some.remove(held);
                ZfsPools.Pool p = ZfsPools.discover(some).get(0);
                assertThat(p.missing()).hasSize(1);
                Blkptr bp = p.uberblock().rootbp();
                byte[] os = new Spa(p).read(bp, key + " without disk " + held);
                ByteOrder order = bp.littleEndian() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
                assertThat(ByteBuffer.wrap(os).order(order).getLong(OS_TYPE)).isEqualTo(DMU_OST_META);
            }
        }
    }

    /**
     * The MOS object directory (object 1) of every pool names its root dataset and its config object, as
     * every pool version since 1 has done (OpenZFS dmu.h DMU_POOL_ROOT_DATASET, DMU_POOL_CONFIG): a micro
     * ZAP up to version 15 and in zfs-fuse's pools, a fat ZAP in OpenZFS 2.x's.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pools")
    void objectDirectory(String corpus, String key, JsonNode pool) throws Exception {
        try (PoolDisks pd = PoolDisks.open(corpus, pool)) {
            ZfsPools.Pool p = ZfsPools.discover(pd.volumes()).get(0);
            Dmu dmu = new Dmu(new Spa(p));
            DnodePhys mos = dmu.objset(p.uberblock().rootbp(), key + " MOS");
            DnodePhys dir = dmu.dnode(mos, Dmu.DMU_POOL_DIRECTORY_OBJECT, key + " MOS");
            Map<String, Long> entries = Zap.entries(dmu, dir, key + " object directory");
            assertThat(entries).containsKeys("root_dataset", "config");
        }
    }
}
