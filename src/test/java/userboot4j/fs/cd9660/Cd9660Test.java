package userboot4j.fs.cd9660;

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
import org.junit.jupiter.api.Test;
import userboot4j.disk.Disks;
import userboot4j.disk.PartitionTable;
import userboot4j.fs.CompressedFiles;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;
import userboot4j.testsupport.Images;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;

/**
 * ISO 9660 images with Rock Ridge made by xorriso from content-tree.py's tree: every file reads back with
 * the manifest's sha256, every symlink with its target, every directory lists its entries; and a kernel
 * stored as kernel.gz (or kernel.bz2) reads back as kernel, as the loader's gzipfs and bzipfs do.
 */
class Cd9660Test {
    @Test
    void contentTreeReadsBack() throws Exception {
        Path script = Require.sharedFixture("fixtures/scripts/content-tree.py");
        Path dir = Trees.target().resolve("cd9660");
        Trees.delete(dir);
        Files.createDirectories(dir);
        Path tree = dir.resolve("tree");
        Processes.run(List.of("python3", script.toString(), "boot", tree.toString()), null);
        JsonNode manifest = new ObjectMapper().readTree(Processes.run(List.of("python3", script.toString(),
                "manifest", tree.toString()), null));
        Path iso = Images.iso(tree, dir.resolve("tree.iso"));
        try (Disks disks = Disks.open(List.of(iso))) {
            assertThat(disks.table(disks.disk(0)).scheme()).isEqualTo(PartitionTable.Scheme.ISO9660);
            assertThat(disks.currdev().toString()).isEqualTo("disk0s0");
            Cd9660FileSystem fs = Cd9660FileSystem.probe(disks.disk(0));
            int files = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = manifest.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = e.getKey();
                switch (e.getValue().path("type").asText()) {
                    case "file" -> {
                        try (FileData f = fs.open(path)) {
                            byte[] b = new byte[(int) f.size()];
                            f.read(0, b, 0, b.length);
                            assertThat(sha256(b)).as(path).isEqualTo(e.getValue().path("sha256").asText());
                        }
                        files++;
                    }
                    case "dir" -> {
                        assertThat(fs.stat(path).kind()).isEqualTo(FileStat.Kind.DIRECTORY);
                        List<String> names = fs.readdir(path).stream().map(DirEntry::name).toList();
                        for (Iterator<String> k = manifest.fieldNames(); k.hasNext(); ) {
                            String other = k.next();
                            if (other.startsWith(path + "/") && other.indexOf('/', path.length() + 1) < 0) {
                                assertThat(names).as(path).contains(other.substring(path.length() + 1));
                            }
                        }
                    }
                    default -> assertThat(fs.readlink(path)).as(path).isEqualTo(e.getValue().path("target").asText());
                }
            }
            assertThat(files).isGreaterThan(2500);
            // A relative symlink is followed like the file it names.
            try (FileData f = fs.open("/data/link-short")) {
                assertThat(f.size()).isEqualTo(manifest.path("/data/text.txt").path("size").asLong());
            }
        }
    }

    @Test
    void compressedKernelsAreFoundUnderTheirPlainName() throws Exception {
        Path dir = Trees.target().resolve("cd9660-gz");
        Trees.delete(dir);
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree.resolve("boot/kernel"));
        byte[] kernel = new byte[300_000];
        new java.util.Random(3).nextBytes(kernel);
        Files.write(tree.resolve("boot/kernel/kernel"), kernel);
        Files.write(tree.resolve("boot/kernel/other"), kernel);
        Processes.run(List.of("gzip", "-9", tree.resolve("boot/kernel/kernel").toString()), null);
        Require.tool("bzip2");
        Processes.run(List.of("bzip2", "-9", tree.resolve("boot/kernel/other").toString()), null);
        Files.writeString(tree.resolve("boot/kernel/plain"), "plain");
        Files.writeString(tree.resolve("boot/kernel/plain.gz"), "not gzip at all");
        Path iso = Images.iso(tree, dir.resolve("gz.iso"));
        try (Disks disks = Disks.open(List.of(iso));
                CompressedFiles fs = new CompressedFiles(Cd9660FileSystem.probe(disks.disk(0)))) {
            for (String name : List.of("/boot/kernel/kernel", "/boot/kernel/other")) {
                assertThat(fs.stat(name).size()).isEqualTo(kernel.length);
                try (FileData f = fs.open(name)) {
                    byte[] b = new byte[kernel.length];
                    assertThat(f.read(0, b, 0, b.length)).isEqualTo(kernel.length);
                    assertThat(b).isEqualTo(kernel);
                }
            }
            try (FileData f = fs.open("/boot/kernel/plain")) {
                assertThat(f.size()).as("a plain file is always preferred").isEqualTo(5);
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> fs.open("/boot/kernel/kernel.gz.gz"))
                    .isInstanceOf(userboot4j.BootException.NotFound.class);
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
