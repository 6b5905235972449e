package userboot4j.fs.ufs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import userboot4j.disk.DiskImage;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;
import userboot4j.testsupport.Images;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;

/**
 * UFS1 and UFS2 images made by Debian's makefs (4 KiB blocks, 512-byte fragments, so that a 3 MiB file
 * needs a double indirect block) from content-tree.py's tree: every file, directory and symlink agrees with
 * the tree's manifest, and our listing and bytes agree with grub-fstest's and (UFS1; sleuthkit does not
 * find a UFS2 superblock at 8 KiB) with sleuthkit's fls and icat.
 */
class UfsMakefsTest {
    static Path tree;
    static JsonNode manifest;

    @BeforeAll
    static void makeTree() throws Exception {
        Require.tool("python3");
        Path script = Require.sharedFixture("fixtures/scripts/content-tree.py");
        Path dir = Trees.target().resolve("ufs-makefs");
        Trees.delete(dir);
        Files.createDirectories(dir);
        tree = dir.resolve("tree");
        Processes.run(List.of("python3", script.toString(), "boot", tree.toString()), null);
        byte[] big = new byte[3 << 20];
        new java.util.Random(5).nextBytes(big);
        Files.write(tree.resolve("data/three-mb.bin"), big);
        manifest = new ObjectMapper().readTree(Processes.run(List.of("python3", script.toString(), "manifest",
                tree.toString()), null));
    }

    private static Path image(int version) throws Exception {
        return Images.ufs(tree, version, tree.resolveSibling("ufs" + version + ".img"), "-o",
                "bsize=4096,fsize=512", "-s", "48m");
    }

    /** Our view of the whole tree: path → "dir", "symlink TARGET", or the file's sha256. */
    private static Map<String, String> walk(UfsFileSystem fs) throws Exception {
        Map<String, String> out = new TreeMap<>();
        List<String> todo = new ArrayList<>(List.of(""));
        while (!todo.isEmpty()) {
            String dir = todo.remove(todo.size() - 1);
            for (DirEntry e : fs.readdir(dir.isEmpty() ? "/" : dir)) {
                String p = dir + "/" + e.name();
                switch (e.kind()) {
                    case DIRECTORY -> {
                        out.put(p, "dir");
                        todo.add(p);
                    }
                    case SYMLINK -> out.put(p, "symlink " + fs.readlink(p));
                    default -> {
                        try (FileData f = fs.open(p)) {
                            byte[] b = new byte[(int) f.size()];
                            f.read(0, b, 0, b.length);
                            out.put(p, UfsSharedFixturesTest.sha256(b));
                        }
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void treeReadsBackAsTheManifestSays(int version) throws Exception {
        Path img = image(version);
        Map<String, String> ours;
        try (DiskImage d = DiskImage.open(img, 0)) {
            UfsFileSystem fs = UfsFileSystem.probe(d);
            assertThat(fs.superblock().version()).isEqualTo(version);
            ours = walk(fs);
            assertThat(fs.stat("/data/three-mb.bin")).isEqualTo(new FileStat(FileStat.Kind.REGULAR, 3 << 20));
        }
        Map<String, String> expected = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = manifest.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            expected.put(e.getKey(), switch (e.getValue().path("type").asText()) {
                case "dir" -> "dir";
                case "symlink" -> "symlink " + e.getValue().path("target").asText();
                default -> e.getValue().path("sha256").asText();
            });
        }
        assertThat(ours).isEqualTo(expected);

        // grub-fstest: each directory's names, and the bytes of the files outside the big directory.
        Require.tool("grub-fstest");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            if (e.getValue().equals("dir")) {
                String listing = Processes.run(List.of("grub-fstest", img.toString(), "ls", e.getKey()), null);
                List<String> names = new ArrayList<>();
                for (String n : listing.trim().split(" ")) {
                    if (!n.isEmpty()) {
                        names.add(n.endsWith("/") ? n.substring(0, n.length() - 1) : n);
                    }
                }
                List<String> ourNames = expected.keySet().stream().filter(k -> k.startsWith(e.getKey() + "/")
                        && k.indexOf('/', e.getKey().length() + 1) < 0).map(k -> k.substring(e.getKey().length() + 1))
                        .sorted().toList();
                assertThat(names.stream().sorted().toList()).as(e.getKey()).isEqualTo(ourNames);
            } else if (!e.getValue().startsWith("symlink") && !e.getKey().startsWith("/data/many/")) {
                Path out = tree.resolveSibling("grub.out");
                Processes.run(List.of("sh", "-c", "grub-fstest \"$0\" cat \"$1\" > \"$2\"", img.toString(),
                        e.getKey(), out.toString()), null);
                assertThat(UfsSharedFixturesTest.sha256(Files.readAllBytes(out))).as(e.getKey()).isEqualTo(ours.get(e.getKey()));
            }
        }
        if (version == 1) {
            assertSleuthkitAgrees(img, ours);
        }
    }

    /** fls's recursive listing names the same entries with the same types; icat's bytes are ours. */
    private static void assertSleuthkitAgrees(Path img, Map<String, String> ours) throws Exception {
        Require.tool("fls");
        Require.tool("icat");
        Map<String, String> fls = new TreeMap<>();
        Map<String, String> inode = new TreeMap<>();
        for (String line : Processes.run(List.of("fls", "-r", "-p", img.toString()), null).split("\n")) {
            String[] parts = line.split("\t", 2);
            String[] head = parts[0].split(" ");
            if (head[0].equals("V/V")) {
                continue; // sleuthkit's own virtual $OrphanFiles directory, not on the disk
            }
            String path = "/" + parts[1];
            fls.put(path, switch (head[0]) {
                case "d/d" -> "dir";
                case "l/l" -> "symlink";
                default -> "file";
            });
            inode.put(path, head[head.length - 1].replace(":", ""));
        }
        Map<String, String> kinds = new TreeMap<>();
        ours.forEach((k, v) -> kinds.put(k, v.equals("dir") ? "dir" : v.startsWith("symlink") ? "symlink" : "file"));
        assertThat(fls).isEqualTo(kinds);
        for (Map.Entry<String, String> e : ours.entrySet()) {
            if (kinds.get(e.getKey()).equals("file") && !e.getKey().startsWith("/data/many/entry-1")) {
                Path out = tree.resolveSibling("icat.out");
                Processes.run(List.of("sh", "-c", "icat \"$0\" \"$1\" > \"$2\"", img.toString(),
                        inode.get(e.getKey()), out.toString()), null);
                assertThat(UfsSharedFixturesTest.sha256(Files.readAllBytes(out))).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
    }
}
