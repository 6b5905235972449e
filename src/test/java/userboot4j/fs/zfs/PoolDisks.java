package userboot4j.fs.zfs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import userboot4j.BootException;
import userboot4j.disk.DiskImage;
import userboot4j.disk.Volume;
import userboot4j.testsupport.Require;

/** The disks of one manifest pool, unpacked and opened as disk0, disk1, … in the manifest's order. */
record PoolDisks(List<DiskImage> images) implements AutoCloseable {
    /** Pool {@code key} of ../shared/fixtures/zfs/{@code corpus}/MANIFEST.json. */
    static JsonNode pool(String corpus, String key) throws Exception {
        return new ObjectMapper().readTree(Require.sharedFixture("fixtures/zfs/" + corpus + "/MANIFEST.json")
                .toFile()).path(key);
    }

    static PoolDisks open(String corpus, JsonNode pool) throws Exception {
        PoolDisks disks = new PoolDisks(new ArrayList<>());
        for (JsonNode d : pool.path("disks")) {
            disks.images.add(DiskImage.open(ZfsPoolDiscoveryTest.unpack(corpus, d.asText()), disks.images.size()));
        }
        return disks;
    }

    List<Volume> volumes() {
        return new ArrayList<>(images);
    }

    @Override
    public void close() throws BootException {
        for (DiskImage d : images) {
            d.close();
        }
    }
}
