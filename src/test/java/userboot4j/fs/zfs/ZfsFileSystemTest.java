package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import userboot4j.BootException;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileStat;

/**
 * Every manifest dataset as the loader's device: each directory lists exactly the manifest's entries with
 * their kinds (besides the mount points of child datasets), each symbolic link's text is the manifest's target, and a link that stays inside the tree
 * stats as what it points to.
 */
class ZfsFileSystemTest {
    static FileStat.Kind kind(String manifestType) {
        return switch (manifestType) {
            case "file" -> FileStat.Kind.REGULAR;
            case "dir" -> FileStat.Kind.DIRECTORY;
            case "symlink" -> FileStat.Kind.SYMLINK;
            default -> FileStat.Kind.OTHER;
        };
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("userboot4j.fs.zfs.ZfsFileReadTest#datasets")
    void directoriesAndLinksMatchTheManifest(String corpus, String key, String dataset, JsonNode pool, JsonNode files)
            throws Exception {
        Map<String, Map<String, FileStat.Kind>> dirs = new TreeMap<>();
        dirs.put("/", new TreeMap<>());
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String path = f.getKey();
            String parent = path.substring(0, Math.max(1, path.lastIndexOf('/')));
            dirs.computeIfAbsent(parent, k -> new TreeMap<>()).put(path.substring(path.lastIndexOf('/') + 1),
                    kind(f.getValue().path("type").asText()));
            if (f.getValue().path("type").asText().equals("dir")) {
                dirs.computeIfAbsent(path, k -> new TreeMap<>());
            }
        }
        try (PoolDisks pd = PoolDisks.open(corpus, pool)) {
            Dsl dsl = new Dsl(new Spa(ZfsPools.discover(pd.volumes()).get(0)));
            ZfsFileSystem fs = new ZfsFileSystem(dsl, dataset);
            Zpl zpl = new Zpl(dsl, dataset);
            assertThat(fs.device()).isEqualTo("zfs:" + dataset);
            for (Map.Entry<String, Map<String, FileStat.Kind>> d : dirs.entrySet()) {
                Map<String, FileStat.Kind> listed = new TreeMap<>();
                for (DirEntry e : fs.readdir(d.getKey())) {
                    listed.put(e.name(), e.kind());
                }
                if (d.getKey().equals("/")) {
                    // the empty directories child datasets were mounted on: some manifests list them, some not
                    for (String child : dsl.children(dataset)) {
                        listed.remove(child, FileStat.Kind.DIRECTORY);
                        d.getValue().remove(child, FileStat.Kind.DIRECTORY);
                    }
                }
                assertThat(listed).as(dataset + ":" + d.getKey()).isEqualTo(d.getValue());
                assertThat(fs.stat(d.getKey()).isDirectory()).isTrue();
            }
            List<String> links = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getValue().path("type").asText().equals("symlink")) {
                    continue;
                }
                String path = f.getKey();
                String target = f.getValue().path("target").asText();
                String parent = path.substring(0, path.lastIndexOf('/') + 1);
                Zpl.Znode link = zpl.entry(zpl.lookup(parent), path.substring(parent.length()), path);
                assertThat(link.type()).as(path).isEqualTo(Zpl.S_IFLNK);
                String text = zpl.readlink(link, path);
                assertThat(text).as(dataset + ":" + path).isEqualTo(target);
                JsonNode pointed = files.path(target.startsWith("/") ? target : parent + target);
                if (pointed.path("type").asText().equals("file")) {
                    assertThat(fs.stat(path)).isEqualTo(new FileStat(FileStat.Kind.REGULAR,
                            pointed.path("size").asLong()));
                } else if (pointed.isMissingNode()) {
                    assertThatThrownBy(() -> fs.stat(path)).isInstanceOf(BootException.NotFound.class);
                }
                links.add(path);
            }
            assertThat(links.size()).isEqualTo((int) countType(files, "symlink"));
        }
    }

    private static long countType(JsonNode files, String type) {
        long n = 0;
        for (JsonNode f : files) {
            n += f.path("type").asText().equals(type) ? 1 : 0;
        }
        return n;
    }
}
