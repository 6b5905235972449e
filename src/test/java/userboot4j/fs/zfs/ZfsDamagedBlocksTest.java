package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import userboot4j.BootException;
import userboot4j.disk.Volume;
import userboot4j.testsupport.Require;

/**
 * A block damaged on a device (seen through an overlay, the image untouched): the MOS root block has
 * ditto copies, so a single disk answers from the second while one survives and reports a checksum
 * mismatch naming the device and offset when none does; a mirror answers from its intact side; a block
 * of OpenZFS 2.1's skein dataset with one byte changed fails its salted Skein checksum.
 */
class ZfsDamagedBlocksTest {
    static JsonNode manifest() throws Exception {
        return new ObjectMapper().readTree(Require.sharedFixture("fixtures/zfs/zfs-fuse/MANIFEST.json").toFile());
    }

    /** {@code v} with one byte inverted in each of the first {@code copies} copies of the block {@code bp}. */
    static Volume damaged(Volume v, Blkptr bp, int copies) throws BootException {
        for (int i = 0; i < copies; i++) {
            long at = Spa.LABEL_START + bp.dvas()[i].offset() + 7;
            byte[] b = v.read(at, 1).array();
            b[0] ^= (byte) 0xff;
            v = new Overlay(v, at, b);
        }
        return v;
    }

    static int copies(Blkptr bp) {
        int n = 0;
        for (Blkptr.Dva d : bp.dvas()) {
            n += d.asize() > 0 ? 1 : 0;
        }
        return n;
    }

    @Test
    void singleDiskAnswersFromADittoCopy() throws Exception {
        try (PoolDisks pd = PoolDisks.open("zfs-fuse", manifest().path("fzsingle"))) {
            Volume disk = pd.volumes().get(0);
            Blkptr bp = ZfsPools.discover(List.of(disk)).get(0).uberblock().rootbp();
            assertThat(copies(bp)).as("pool metadata is stored in more than one copy").isGreaterThan(1);
            ZfsPools.Pool bad = ZfsPools.discover(List.of(damaged(disk, bp, copies(bp) - 1))).get(0);
            assertThat(new Spa(bad).read(bp, "fzsingle MOS")).hasSize((int) bp.lsize());
        }
    }

    @Test
    void singleDiskReportsTheChecksumMismatch() throws Exception {
        try (PoolDisks pd = PoolDisks.open("zfs-fuse", manifest().path("fzsingle"))) {
            Volume disk = pd.volumes().get(0);
            Blkptr bp = ZfsPools.discover(List.of(disk)).get(0).uberblock().rootbp();
            ZfsPools.Pool bad = ZfsPools.discover(List.of(damaged(disk, bp, copies(bp)))).get(0);
            assertThatThrownBy(() -> new Spa(bad).read(bp, "fzsingle MOS"))
                    .isInstanceOf(BootException.InvalidFormat.class)
                    .hasMessageMatching("fzsingle MOS \\(disk0 offset 0x[0-9a-f]+\\): checksum mismatch .*");
        }
    }

    @Test
    void skeinReportsTheChecksumMismatch() throws Exception {
        JsonNode pool = PoolDisks.pool("openzfs-modern", "ozlz4");
        String path = ZioChecksumTest.FILE;
        try (PoolDisks pd = PoolDisks.open("openzfs-modern", pool)) {
            Volume disk = pd.volumes().get(0);
            Spa spa = new Spa(ZfsPools.discover(List.of(disk)).get(0));
            Blkptr bp = ZioChecksumTest.skeinBlock(spa);
            Zpl zpl = new Zpl(new Dsl(spa), ZioChecksumTest.SKEIN);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(zpl.read(zpl.lookup(path), 1 << 20, path)));
            assertThat(sha).isEqualTo(pool.path("datasets").path(ZioChecksumTest.SKEIN).path("files").path(path)
                    .path("sha256").asText());
            ZfsPools.Pool bad = ZfsPools.discover(List.of(damaged(disk, bp, copies(bp)))).get(0);
            Zpl damaged = new Zpl(new Dsl(new Spa(bad)), ZioChecksumTest.SKEIN);
            assertThatThrownBy(() -> damaged.read(damaged.lookup(path), 1 << 20, path))
                    .isInstanceOf(BootException.InvalidFormat.class)
                    .hasMessageMatching(".*" + path + " \\(indirect level 1\\) \\(disk0 offset 0x[0-9a-f]+\\): "
                            + "checksum mismatch \\(skein\\): .*");
        }
    }

    @Test
    void mirrorAnswersFromTheIntactSide() throws Exception {
        try (PoolDisks pd = PoolDisks.open("zfs-fuse", manifest().path("fzmirror"))) {
            List<Volume> disks = pd.volumes();
            Blkptr bp = ZfsPools.discover(disks).get(0).uberblock().rootbp();
            disks.set(0, damaged(disks.get(0), bp, copies(bp)));
            byte[] os = new Spa(ZfsPools.discover(disks).get(0)).read(bp, "fzmirror MOS");
            assertThat(os).hasSize((int) bp.lsize());
            assertThat(java.nio.ByteBuffer.wrap(os).order(Dmu.order(bp)).getLong(ZfsBlockReadTest.OS_TYPE))
                    .isEqualTo(Dmu.DMU_OST_META);
        }
    }
}
