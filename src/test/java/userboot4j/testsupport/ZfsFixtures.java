package userboot4j.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** ZFS pools for tests: the shared corpus unpacked once, and bootable pools made by zfs-fuse at test time. */
public final class ZfsFixtures {
    private ZfsFixtures() {
    }

    /** {@code file} of ../shared/fixtures/zfs/{@code corpus}, decompressed once into target/zfs-fixtures. */
    public static Path unpack(String corpus, String file) throws Exception {
        return unpack(Require.sharedFixture("fixtures/zfs/" + corpus + "/" + file), corpus, file);
    }

    /** {@code file} of this repository's fixtures/zfs/{@code corpus}, decompressed once likewise. */
    public static Path unpackOwn(String corpus, String file) throws Exception {
        return unpack(Path.of("fixtures/zfs", corpus, file).toAbsolutePath(), corpus, file);
    }

    private static Path unpack(Path src, String corpus, String file) throws Exception {
        String plain = file.replaceAll("\\.(xz|bz2)$", "");
        Path out = Trees.target().resolve("zfs-fixtures").resolve(corpus).resolve(plain);
        if (!Files.exists(out)) {
            Files.createDirectories(out.getParent());
            Path tmp = out.resolveSibling(plain + ".part");
            String tool = file.endsWith(".xz") ? "xz" : "bzip2";
            Require.tool(tool);
            Processes.run(List.of("sh", "-c", tool + " -dc \"$0\" > \"$1\"", src.toString(), tmp.toString()), null);
            Files.move(tmp, out);
        }
        return out;
    }

    /** The disks of the bootable corpus pool fbzmodern (OpenZFS 2.1 raidz1, two boot environments). */
    public static List<Path> fbzmodern() throws Exception {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            out.add(unpack("bootable", "fbzmodern-d" + i + ".img.xz"));
        }
        return out;
    }

    /**
     * A pool (version 23) made now by zfs-fuse on loop devices, so its leaves are of type "disk" as FreeBSD's
     * loader needs (fixtures/zfs/zfs-fuse-pool.sh): {@code layout} over {@code disks} 80 MiB images, and
     * ROOT/NAME for each boot environment (NAME → "TREE" or "TREE:COMPRESSION"), {@code bootfs} its
     * bootfs ("" for none). Returns the images in order.
     */
    public static List<Path> fusePool(String pool, String layout, int disks, String bootfs, Map<String, String> bes)
            throws Exception {
        return fusePool(pool, layout, disks, bootfs, bes, Map.of());
    }

    /** The same, with the script's variables {@code env} (SNAPSHOT, CHANGE). */
    public static List<Path> fusePool(String pool, String layout, int disks, String bootfs, Map<String, String> bes,
            Map<String, String> env) throws Exception {
        Require.tool("zfs-fuse");
        Require.tool("losetup");
        Require.condition(Files.exists(Path.of("/dev/fuse")) && Files.exists(Path.of("/dev/loop-control"))
                && "root".equals(System.getProperty("user.name")), "root with /dev/fuse and loop devices");
        Path dir = Trees.target().resolve("zfs-pools");
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of("bash", java.nio.file.Paths.get("fixtures/zfs/zfs-fuse-pool.sh").toAbsolutePath()
                .toString(), dir.toString(), pool, layout, String.valueOf(disks), bootfs));
        bes.forEach((name, tree) -> cmd.add(name + "=" + tree));
        List<String> withEnv = new ArrayList<>(List.of("env"));
        env.forEach((k, v) -> withEnv.add(k + "=" + v));
        withEnv.addAll(cmd);
        synchronized (ZfsFixtures.class) {
            Processes.run(withEnv, null);
        }
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < disks; i++) {
            out.add(dir.resolve(pool + "-d" + i + ".img"));
        }
        return out;
    }

    /**
     * Writes {@code value} as the one-time boot device into the labels of {@code disks}, as FreeBSD's
     * zfsbootcfg leaves it (fixtures/zfs/set-bootonce.py; with {@code legacy}, the name alone).
     */
    public static void setBootonce(String value, boolean legacy, List<Path> disks) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3", Path.of("fixtures/zfs/set-bootonce.py").toString()));
        if (legacy) {
            cmd.add("--legacy");
        }
        cmd.add(value);
        disks.forEach(d -> cmd.add(d.toString()));
        Processes.run(cmd, null);
    }
}
