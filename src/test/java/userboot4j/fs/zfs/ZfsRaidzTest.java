package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import userboot4j.BootException;
import userboot4j.disk.DiskImage;
import userboot4j.disk.Volume;
import userboot4j.testsupport.Require;

/**
 * RAID-Z2 pools made by OpenZFS (version 3 and 2.1) and zfs-fuse with every pair of disks held back, or
 * overwritten with noise below their labels (silent damage that only the block checksums reveal), or one
 * of each: the files of every dataset still have the manifest's sha256, rebuilt from P and Q; with a third
 * disk gone, reading ends in one message saying how many columns are missing. Of zfs-fuse's thousands of
 * small files every sixteenth is read (and every file of more than one block), to keep the run short.
 */
class ZfsRaidzTest {
    static Stream<Arguments> pools() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (String[] p : new String[][] {{"openzfs-blockfiles", "pool-v3raidz2", "1"},
            {"zfs-fuse", "fzraidz2", "16"}, {"openzfs-modern", "ozraidz2", "1"}}) {
            JsonNode m = new ObjectMapper().readTree(Require.sharedFixture("fixtures/zfs/" + p[0] + "/MANIFEST.json")
                    .toFile());
            out.add(Arguments.of(p[0], p[1], m.path(p[1]), Integer.parseInt(p[2])));
        }
        return out.stream();
    }

    /**
     * Checks every {@code stride}-th file of every dataset of the manifest {@code pool}, and every file of
     * more than 128 KiB; returns how many were checked.
     */
    static int readAll(ZfsPools.Pool p, JsonNode pool, int stride) throws Exception {
        int[] n = new int[2]; // checked, seen
        ManifestEntries.forEach(new Dsl(new Spa(p)), pool, (zpl, dataset, path, f) -> {
            boolean file = f.path("type").asText().equals("file");
            if (file && (n[1]++ % stride == 0 || f.path("size").asLong() > 128 << 10)) {
                ZfsFileReadTest.assertMatches(zpl, dataset, path, f);
                n[0]++;
            }
        });
        return n[0];
    }

    /** The disks with {@code missing} left out and {@code noisy} overwritten with noise. */
    static List<Volume> damaged(PoolDisks pd, List<Integer> missing, List<Integer> noisy) {
        List<Volume> out = new ArrayList<>();
        for (int d = 0; d < pd.images().size(); d++) {
            if (!missing.contains(d)) {
                out.add(noisy.contains(d) ? Overlay.garbage(pd.images().get(d)) : pd.images().get(d));
            }
        }
        return out;
    }

    /** A check of a pool read from damaged disks; {@code what} says which. */
    interface Check {
        void on(ZfsPools.Pool p, String what) throws Exception;
    }

    /**
     * Runs {@code check} on the pool of every choice of {@code k} disks of {@code pd} gone: held back,
     * overwritten with noise, or the first few of them held back and the rest overwritten.
     */
    static void everyLossOf(int k, PoolDisks pd, Check check) throws Exception {
        List<Integer> all = java.util.stream.IntStream.range(0, pd.images().size()).boxed().toList();
        for (int[] gone : Spa.combinations(all, k)) {
            List<Integer> g = Arrays.stream(gone).boxed().toList();
            for (int held = 0; held <= k; held++) {
                ZfsPools.Pool p = ZfsPools.discover(damaged(pd, g.subList(0, held), g.subList(held, k))).get(0);
                String what = "disks " + g + " gone, " + held + " of them held back";
                assertThat(p.missing()).as(what).hasSize(held);
                check.on(p, what);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pools")
    void anyTwoDisksGone(String corpus, String key, JsonNode pool, int stride) throws Exception {
        try (PoolDisks pd = PoolDisks.open(corpus, pool)) {
            everyLossOf(2, pd, (p, what) -> assertThat(readAll(p, pool, stride)).as(what).isPositive());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pools")
    void threeDisksGoneIsAnError(String corpus, String key, JsonNode pool, int stride) throws Exception {
        try (PoolDisks pd = PoolDisks.open(corpus, pool)) {
            ZfsPools.Pool damaged = ZfsPools.discover(damaged(pd, List.of(0, 1), List.of(2))).get(0);
            assertThatThrownBy(() -> readAll(damaged, pool, stride)).isInstanceOf(BootException.class)
                    .hasMessageContaining("checksum mismatch").hasMessageNotContaining("\n");
            if (pd.images().size() > 3) {
                ZfsPools.Pool missing = ZfsPools.discover(damaged(pd, List.of(0, 1, 2), List.of())).get(0);
                assertThatThrownBy(() -> readAll(missing, pool, stride)).isInstanceOf(BootException.NotFound.class)
                        .hasMessageMatching("[^\\n]*: 3 of \\d raidz2 columns cannot be read, at most 2 can be "
                                + "rebuilt: device \\S+ \\(guid 0x[0-9a-f]+\\) is not given");
            }
        }
    }

    /**
     * A raidz3 pool of five disks that zfs-fuse makes now, with files of random bytes: with any three disks
     * held back, damaged, or some of each, every file reads back as written (through P, Q and R); with a
     * fourth held back, reading ends in one message.
     */
    @Test
    void raidz3AnyThreeDisks() throws Exception {
        try (ZfsFusePool zp = ZfsFusePool.create("raidz3", 5, 64 << 20, "compression=off")) {
            Random r = new Random(3);
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (int size : new int[] {100, 5000, 130_000, 1 << 20}) {
                byte[] b = new byte[size];
                r.nextBytes(b);
                files.put("/f" + size, b);
                Files.write(zp.mountpoint().resolve("f" + size), b);
            }
            zp.export();
            List<DiskImage> images = new ArrayList<>();
            try (PoolDisks pd = new PoolDisks(images)) {
                for (Path d : zp.disks()) {
                    images.add(DiskImage.open(d, images.size()));
                }
                everyLossOf(3, pd, (p, what) -> {
                    Zpl zpl = new Zpl(new Dsl(new Spa(p)), zp.name());
                    for (Map.Entry<String, byte[]> f : files.entrySet()) {
                        assertThat(zpl.read(zpl.lookup(f.getKey()), 2 << 20, f.getKey())).as("%s, %s", f.getKey(),
                                what).isEqualTo(f.getValue());
                    }
                });
                ZfsPools.Pool p = ZfsPools.discover(damaged(pd, List.of(0, 1, 2, 3), List.of())).get(0);
                assertThatThrownBy(() -> new Zpl(new Dsl(new Spa(p)), zp.name()).lookup("/f100"))
                        .isInstanceOf(BootException.NotFound.class)
                        .hasMessageMatching("[^\\n]*: 4 of \\d raidz3 columns cannot be read, at most 3 can be "
                                + "rebuilt: device \\S+ \\(guid 0x[0-9a-f]+\\) is not given");
            }
        }
    }
}
