package userboot4j.fs.ufs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import userboot4j.disk.DeviceName;
import userboot4j.disk.Disks;
import userboot4j.disk.PartitionTable;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;
import userboot4j.testsupport.Images;

import userboot4j.testsupport.Require;

/**
 * The UFS images FreeBSD's own makefs and mkimg made (../shared/fixtures/ufs): the device the loader
 * would boot from holds UFS, and every file of the manifest reads back with its sha256, every symlink with
 * its target, every directory lists what the manifest lists under it.
 */
class UfsSharedFixturesTest {
    @ParameterizedTest
    @ValueSource(strings = {"fbsd-ufs2.img.xz", "fbsd-ufs1.img.xz", "fbsd-gpt-ufs2.img.xz", "fbsd-mbr-bsd-ufs1.img.xz"})
    void everyManifestFileReadsBack(String image) throws Exception {
        JsonNode manifest = new ObjectMapper().readTree(Require.sharedFixture("fixtures/ufs/MANIFEST.json").toFile());
        JsonNode entry = null;
        for (JsonNode im : manifest.path("images")) {
            if (im.path("file").asText().equals(image)) {
                entry = im;
            }
        }
        Path img = Images.sharedUfs(image);
        assertThat(sha256(Files.readAllBytes(img))).isEqualTo(entry.path("uncompressed_sha256").asText());
        try (Disks disks = Disks.open(List.of(img))) {
            DeviceName dev = disks.currdev();
            JsonNode fs = entry.path("filesystem");
            String expected = switch (entry.path("scheme").asText("null")) {
                case "gpt" -> "disk0p" + fs.path("partition").asInt();
                case "mbr+bsd" -> "disk0s1a";
                default -> "disk0";
            };
            assertThat(dev.toString()).isEqualTo(expected);
            var volume = disks.open(dev);
            UfsFileSystem ufs = UfsFileSystem.probe(volume);
            assertThat(ufs).isNotNull();
            assertThat(ufs.superblock().version()).isEqualTo(fs.path("ufs_version").asInt());
            assertThat(ufs.superblock().location()).isEqualTo(fs.path("superblock_offset_in_fs").asLong());
            if (!entry.path("scheme").isNull()) {
                assertThat(disks.table(disks.disk(0)).scheme()).isIn(PartitionTable.Scheme.GPT, PartitionTable.Scheme.MBR);
            }
            int files = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = entry.path("files").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String path = f.getKey();
                switch (f.getValue().path("type").asText()) {
                    case "file" -> {
                        try (FileData d = ufs.open(path)) {
                            assertThat(d.size()).as(path).isEqualTo(f.getValue().path("size").asLong());
                            byte[] b = new byte[(int) d.size()];
                            assertThat(d.read(0, b, 0, b.length)).isEqualTo(b.length);
                            assertThat(sha256(b)).as(path).isEqualTo(f.getValue().path("sha256").asText());
                        }
                        files++;
                    }
                    case "dir" -> {
                        assertThat(ufs.stat(path).kind()).as(path).isEqualTo(FileStat.Kind.DIRECTORY);
                        List<String> names = ufs.readdir(path).stream().map(DirEntry::name).toList();
                        for (Iterator<String> k = entry.path("files").fieldNames(); k.hasNext(); ) {
                            String other = k.next();
                            if (other.startsWith(path + "/") && other.indexOf('/', path.length() + 1) < 0) {
                                assertThat(names).as(path).contains(other.substring(path.length() + 1));
                            }
                        }
                    }
                    case "symlink" -> assertThat(ufs.readlink(path)).as(path)
                            .isEqualTo(f.getValue().path("target").asText());
                    default -> throw new AssertionError(path);
                }
            }
            assertThat(files).isGreaterThan(2500);
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
