package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
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
import userboot4j.disk.DiskImage;
import userboot4j.disk.PartitionTable;
import userboot4j.disk.Partition;
import userboot4j.disk.Volume;
import userboot4j.testsupport.Oracle;
import userboot4j.testsupport.ZfsFixtures;

/**
 * OpenZFS 2.3's pools (fixtures/zfs/openzfs-2.3, made by its make.sh on Debian's zfs-dkms): the pools
 * FreeBSD 15.1's loader reads, read through the 15.1 release, give every file the guest read back (size
 * and sha256); and each release refuses each pool with the very features its own loader names (FreeBSD
 * 13.2's and 15.1's userboot.so, the oracle, run on the same disks).
 */
public class OpenZfs23Test {
    static final String CORPUS = "openzfs-2.3";

    public static JsonNode manifest() throws Exception {
        return new ObjectMapper().readTree(Path.of("fixtures/zfs", CORPUS, "MANIFEST.json").toFile());
    }

    public static List<Path> disks(JsonNode pool) throws Exception {
        List<Path> out = new ArrayList<>();
        for (JsonNode d : pool.path("disks")) {
            out.add(ZfsFixtures.unpackOwn(CORPUS, d.asText()));
        }
        return out;
    }

    /** The disks and their partitions (OpenZFS puts a GPT on a whole disk), as the loader probes them. */
    record Opened(List<DiskImage> images, List<Volume> volumes) implements AutoCloseable {
        static Opened of(List<Path> disks) throws Exception {
            Opened o = new Opened(new ArrayList<>(), new ArrayList<>());
            for (Path p : disks) {
                DiskImage d = DiskImage.open(p, o.images.size());
                o.images.add(d);
                o.volumes.add(d);
                for (Partition part : PartitionTable.probe(d, new ArrayList<>()).partitions()) {
                    o.volumes.add(d.slice(d.name() + "p" + part.index(), part.start(), part.length()));
                }
            }
            return o;
        }

        @Override
        public void close() throws Exception {
            for (DiskImage d : images) {
                d.close();
            }
        }
    }

    static Stream<Arguments> pools() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = manifest().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            out.add(Arguments.of(p.getKey(), p.getValue()));
        }
        return out.stream();
    }

    /**
     * The console of the loader of {@code lib} on these disks, its prompt asked to show the boot
     * environment's /boot/loader.conf (the pools hold no loader scripts, so the loader stops at its prompt).
     */
    public static String oracleConsole(Oracle.Release lib, List<Path> disks) throws Exception {
        Path keys = userboot4j.testsupport.Trees.target().resolve("openzfs-2.3-keys");
        java.nio.file.Files.writeString(keys, "more /boot/loader.conf\r");
        List<String> args = new ArrayList<>(List.of("-k", keys.toString()));
        for (Path d : disks) {
            args.add("-d");
            args.add(d.toString());
        }
        return Oracle.run(lib, args, "1G", List.of(), null).path("console").asText();
    }

    /** The features a loader's console names as unsupported, with its "ZFS: " prefix. */
    public static Set<String> refusals(String console) {
        Set<String> out = new TreeSet<>();
        // the loader's twiddle may stand before the line
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ZFS: unsupported feature: \\S+").matcher(console);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    static Set<String> ourRefusals(Opened o, FeaturesForRead release) throws Exception {
        ZfsPools.Pool pool = ZfsPools.discover(o.volumes()).get(0);
        Set<String> out = new TreeSet<>();
        for (String why : ZfsBoot.refusals(pool, new Dsl(new Spa(pool, release)))) {
            if (why.startsWith("unsupported feature: ")) {
                out.add("ZFS: " + why);
            }
        }
        return out;
    }

    /**
     * 13.2's and 15.1's loaders name the same unsupported features as userboot4j does for their release, and
     * read the boot environment's loader.conf exactly when they name none.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pools")
    void eachReleaseRefusesWithItsLoadersWords(String name, JsonNode pool) throws Exception {
        List<Path> disks = disks(pool);
        try (Opened o = Opened.of(disks)) {
            for (Map.Entry<Oracle.Release, FeaturesForRead> r : Map.of(Oracle.Release.FREEBSD_13_2, FeaturesForRead.FREEBSD_13,
                    Oracle.Release.FREEBSD_15_1, FeaturesForRead.FREEBSD_15).entrySet()) {
                String console = oracleConsole(r.getKey(), disks);
                Set<String> ours = ourRefusals(o, r.getValue());
                assertThat(ours).as(r.getValue().release()).isEqualTo(refusals(console));
                // a pool holding loader scripts (ozckpt) is read by them: its loader.conf then shows as loaded
                assertThat(console.contains("zfs_load=\"YES\"") || console.matches("(?s).*Loading /boot/loader\\.conf\r?\n.*"))
                        .as(r.getValue().release() + ": " + console).isEqualTo(ours.isEmpty());
            }
        }
    }

    /** A pool the newest release refuses, every older one refuses too (not always naming the same feature). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pools")
    void olderReleasesRefuseWhatNewerOnesDo(String name, JsonNode pool) throws Exception {
        try (Opened o = Opened.of(disks(pool))) {
            if (!ourRefusals(o, FeaturesForRead.FREEBSD_15).isEmpty()) {
                assertThat(ourRefusals(o, FeaturesForRead.FREEBSD_14)).isNotEmpty();
                assertThat(ourRefusals(o, FeaturesForRead.FREEBSD_13)).isNotEmpty();
            }
        }
    }

    /** Every pool 15.1 reads (all but the expanded raidz and the long names): every entry, read for 15.1. */
    @org.junit.jupiter.api.Test
    void everyFileReadsBackWithThe15Profile() throws Exception {
        Set<String> read = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> pools = manifest().fields(); pools.hasNext(); ) {
            Map.Entry<String, JsonNode> e = pools.next();
            if (readsBack(e.getValue())) {
                read.add(e.getKey());
            }
        }
        assertThat(read).containsExactly("ozblake3", "ozckpt", "ozcompat13", "ozcompat22", "ozdefault");
    }

    /** Whether 15.1 reads {@code pool}; if it does, every entry reads back as the manifest has it. */
    static boolean readsBack(JsonNode pool) throws Exception {
        try (Opened o = Opened.of(disks(pool))) {
            ZfsPools.Pool p = ZfsPools.discover(o.volumes()).get(0);
            Dsl dsl = new Dsl(new Spa(p, FeaturesForRead.FREEBSD_15));
            if (!ZfsBoot.refusals(p, dsl).isEmpty()) {
                return false;
            }
            assertThat(entries(dsl, pool)).as("entries checked").isGreaterThan(10);
            return true;
        }
    }

    /** Checks every entry {@code manifest} lists (its "datasets") against {@code dsl}; the number checked. */
    static int entries(Dsl dsl, JsonNode manifest) throws Exception {
        int[] checked = new int[1];
        ManifestEntries.forEach(dsl, manifest, (zpl, dataset, path, f) -> {
            switch (f.path("type").asText()) {
                case "file" -> ZfsFileReadTest.assertMatches(zpl, dataset, path, f);
                case "symlink" -> {
                    int slash = path.lastIndexOf('/');
                    Zpl.Znode dir = zpl.lookup(slash == 0 ? "/" : path.substring(0, slash));
                    assertThat(zpl.readlink(zpl.entry(dir, path.substring(slash + 1), path), path))
                            .as(dataset + ":" + path).isEqualTo(f.path("target").asText());
                }
                default -> assertThat(zpl.lookup(path).type()).as(dataset + ":" + path).isEqualTo(Zpl.S_IFDIR);
            }
            checked[0]++;
        });
        return checked[0];
    }

    /**
     * A pool with a checkpoint (ozckpt) read from the checkpoint's uberblock gives every file OpenZFS read
     * back after a read-only import rewound to the checkpoint, and its current state what it holds now;
     * the pools without one have no checkpoint to read.
     */
    @org.junit.jupiter.api.Test
    void theCheckpointReadsBackAsOpenZfsRewoundIt() throws Exception {
        Set<String> checkpointed = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> pools = manifest().fields(); pools.hasNext(); ) {
            Map.Entry<String, JsonNode> e = pools.next();
            try (Opened o = Opened.of(disks(e.getValue()))) {
                Dsl dsl = new Dsl(new Spa(ZfsPools.discover(o.volumes()).get(0), FeaturesForRead.FREEBSD_15));
                Dsl atCheckpoint = dsl.atCheckpoint();
                assertThat(atCheckpoint != null).as(e.getKey()).isEqualTo(e.getValue().has("checkpoint"));
                if (atCheckpoint != null) {
                    assertThat(entries(atCheckpoint, e.getValue().path("checkpoint"))).isGreaterThan(10);
                    checkpointed.add(e.getKey());
                }
            }
        }
        assertThat(checkpointed).containsExactly("ozckpt");
    }
}
