package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import userboot4j.testsupport.Oracle;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;
import userboot4j.testsupport.ZfsFixtures;

/**
 * Booting from ZFS against FreeBSD 13.2's own loader: the bootable corpus pool (OpenZFS 2.1, raidz1, two
 * boot environments) and pools zfs-fuse makes now on loop devices. The oracle's compare.py must find no
 * difference (currdev from bootfs, the zfs_be_* and bootenvs variables, vfs.root.mountfrom, the files and
 * their addresses) and guest memory must match byte for byte; what the corpus MANIFEST.json recorded of the
 * real loader must hold for our boot too.
 */
class ZfsBootTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode bootableManifest() throws Exception {
        return JSON.readTree(Require.sharedFixture("fixtures/zfs/bootable/MANIFEST.json").toFile()).path("fbzmodern");
    }

    static List<String> devices(List<Path> disks) {
        List<String> out = new ArrayList<>();
        for (Path d : disks) {
            out.add("-d");
            out.add(d.toString());
        }
        return out;
    }

    static JsonNode inspect(List<String> devices, String mem, List<String> env) throws Exception {
        List<String> args = new ArrayList<>(List.of("inspect", "--json", "-m", mem));
        args.addAll(devices);
        for (String e : env) {
            args.add("-e");
            args.add(e);
        }
        ProbeBootTest.Run r = ProbeBootTest.run(args.toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).as("no refusal for a pool the loader boots").doesNotContain("would refuse");
        return JSON.readTree(r.out());
    }

    static Map<String, String> env(JsonNode inspect) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode e : inspect.path("env")) {
            String s = e.asText();
            out.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        }
        return out;
    }

    /** The default boot of fbzmodern, and the three -e attempts the manifest records, against the oracle. */
    @ParameterizedTest
    @ValueSource(strings = {"default", "alt via -e vfs.root.mountfrom (only the kernel's root changes)",
        "alt via -e zfs_be_active (does not work)", "alt via -e currdev (does not work)"})
    void bootablePoolAgainstTheOracle(String run) throws Exception {
        JsonNode recorded = bootableManifest().path("oracle").path(run);
        assertThat(recorded.isMissingNode()).as(run).isFalse();
        List<String> env = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" -e (\\S+)").matcher(recorded.path("command").asText());
        while (m.find()) {
            env.add(m.group(1));
        }
        List<String> devices = devices(ZfsFixtures.fbzmodern());
        OracleDifferentialTest.compare(devices, "512M", env);

        Map<String, String> ours = env(inspect(devices, "512M", env));
        assertThat(ours.get("currdev")).isEqualTo(recorded.path("currdev").asText());
        assertThat(ours.get("vfs.root.mountfrom")).isEqualTo(recorded.path("vfs.root.mountfrom").asText());
        assertThat(ours.get("zfs_be_active")).isEqualTo(recorded.path("zfs_be_active").asText());
        List<String> bootenvs = new ArrayList<>();
        recorded.path("bootenvs").forEach(b -> bootenvs.add(b.asText()));
        assertThat(ours.get("bootenvs_count")).isEqualTo(String.valueOf(bootenvs.size()));
        for (int i = 0; i < bootenvs.size(); i++) {
            assertThat(ours.get("bootenvs[" + i + "]")).isEqualTo(bootenvs.get(i));
        }
    }

    /**
     * FreeBSD 15.1's loader on the bootable pools: fbzmodern, whose boot environments hold 13.2's scripts (15.1
     * boots it as 13.2 does, and userboot4j follows 13), and a mirror whose boot environments hold 15.1's (bootfs
     * the second: the profile comes from the boot environment's own config.lua).
     */
    @Test
    void bootablePoolsAgainst15sLoader() throws Exception {
        OracleDifferentialTest.compare(Oracle.Release.FREEBSD_15_1, devices(ZfsFixtures.fbzmodern()), "512M", List.of(),
                false);
        List<String> devices = devices(twoBootEnvironments(Oracle.Release.FREEBSD_15_1, "ubz15", "alt"));
        OracleDifferentialTest.compare(Oracle.Release.FREEBSD_15_1, devices, "256M", List.of(), false);
        JsonNode ours = inspect(devices, "256M", List.of());
        assertThat(ours.path("loader_release").path("release").asText()).isEqualTo("15");
        assertThat(env(ours)).containsEntry("probe_d_load", "YES").containsEntry("hint.acpi.0.disabled", "0");
    }

    /**
     * A zfs-fuse mirror with bootfs set to its second boot environment (as {@code bectl activate} does):
     * currdev, the environment and the modules come from that one, and the real loader agrees.
     */
    @Test
    void bootfsChoosesTheBootEnvironment() throws Exception {
        List<String> devices = devices(twoBootEnvironments("ubzbootfs", "alt"));
        OracleDifferentialTest.compare(devices, "256M", List.of());

        JsonNode ours = inspect(devices, "256M", List.of());
        assertThat(env(ours)).containsEntry("currdev", "zfs:ubzbootfs/ROOT/alt:")
                .containsEntry("vfs.root.mountfrom", "zfs:ubzbootfs/ROOT/alt")
                .containsEntry("zfs_be_root", "ubzbootfs/ROOT").containsEntry("bootenvs_count", "2");
        List<String> files = new ArrayList<>();
        ours.path("files").forEach(f -> files.add(f.path("name").asText()));
        assertThat(files).contains("/boot/kernel/probe_d.ko").doesNotContain("/boot/kernel/probe_a.ko");
    }

    /**
     * A zfs-fuse mirror: ROOT/default (probe_a) and ROOT/alt (probe_d); the bootfs one lzjb, the other zle
     * (FreeBSD 13.2's loader reads both; it cannot read gzip).
     */
    static List<Path> twoBootEnvironments(String pool, String bootfs) throws Exception {
        return twoBootEnvironments(Oracle.Release.FREEBSD_13_2, pool, bootfs);
    }

    /** The same with {@code release}'s scripts and defaults in both boot environments. */
    static List<Path> twoBootEnvironments(Oracle.Release release, String pool, String bootfs) throws Exception {
        Path def = Oracle.bootable(release, Trees.probe(), "zfs-be-default");
        Trees.delete(def.resolve("i386"));
        Path alt = Oracle.bootable(release, Trees.probe(), "zfs-be-alt");
        Trees.delete(alt.resolve("i386"));
        Files.writeString(alt.resolve("boot/loader.conf"), "probe_d_load=\"YES\"\nautoboot_delay=\"0\"\n");
        Map<String, String> bes = new LinkedHashMap<>();
        bes.put("default", def + (bootfs.equals("default") ? "" : ":zle"));
        bes.put("alt", alt + (bootfs.equals("alt") ? "" : ":zle"));
        return ZfsFixtures.fusePool(pool, "mirror", 2, bootfs, bes);
    }

    /**
     * A one-time boot device in the labels' boot-environment blocks (written by fixtures/zfs/set-bootonce.py
     * as FreeBSD's zfsbootcfg leaves it) wins over bootfs: currdev, loaddev and the modules come from it,
     * zfs-bootonce names it, the boot environments stay those of bootfs — as the real loader does (it then
     * tries to erase the entry; the oracle refuses its disk writes, and we never write).
     */
    @Test
    void bootonceWinsOverBootfs() throws Exception {
        List<String> devices = bootonceAgainstTheOracle("ubzonce", "default", false, "zfs:ubzonce/ROOT/alt:");
        JsonNode ours = inspect(devices, "256M", List.of());
        assertThat(env(ours)).containsEntry("currdev", "zfs:ubzonce/ROOT/alt:")
                .containsEntry("loaddev", "zfs:ubzonce/ROOT/alt:")
                .containsEntry("zfs-bootonce", "zfs:ubzonce/ROOT/alt:")
                .containsEntry("zfs_be_active", "zfs:ubzonce/ROOT/default");
        List<String> files = new ArrayList<>();
        ours.path("files").forEach(f -> files.add(f.path("name").asText()));
        assertThat(files).contains("/boot/kernel/probe_d.ko").doesNotContain("/boot/kernel/probe_a.ko");
    }

    /**
     * The legacy form (the block is the device name): FreeBSD 13.2's loader first turns the block's version
     * word to host order in place, so it reads the name with its first eight bytes reversed; currdev's check
     * refuses that device and stays on bootfs, but loaddev and zfs-bootonce take the mangled name.
     */
    @Test
    void legacyBootonceIsReadAsTheLoaderReadsIt() throws Exception {
        List<String> devices = bootonceAgainstTheOracle("ubzlegacy", "alt", true, "zfs:ubzlegacy/ROOT/default:");
        assertThat(env(inspect(devices, "256M", List.of()))).containsEntry("currdev", "zfs:ubzlegacy/ROOT/alt:")
                .containsEntry("loaddev", "lzbu:sfzegacy/ROOT/default:");
    }

    /** Two boot environments with a one-time boot device set: the oracle's boot and ours must agree. */
    static List<String> bootonceAgainstTheOracle(String pool, String bootfs, boolean legacy, String value)
            throws Exception {
        List<Path> disks = twoBootEnvironments(pool, bootfs);
        ZfsFixtures.setBootonce(value, legacy, disks);
        OracleDifferentialTest.compare(devices(disks), "256M", List.of());
        return devices(disks);
    }

    /**
     * The probe kernel runs under QEMU from a one-disk pool zfs-fuse makes now (zfs-fuse refuses bootfs on
     * raidz), and reports the environment it was handed: root on its boot environment.
     */
    @Test
    void probeKernelRunsFromAPool() throws Exception {
        Require.qemu();
        Path tree = Oracle.bootable(Trees.probe(), "zfs-probe-run");
        Trees.delete(tree.resolve("i386"));
        List<String> args = new ArrayList<>(List.of("run", "--timeout", "30", "--console"));
        Path console = Trees.target().resolve("zfs-probe-console.txt");
        args.add(console.toString());
        args.addAll(devices(ZfsFixtures.fusePool("ubzprobe", "", 1, "default", Map.of("default",
                tree.toString()))));
        ProbeBootTest.Run r = ProbeBootTest.run(args.toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readString(console)).startsWith("Loading /boot/defaults/loader.conf\n")
                .contains("\nLoading kernel...\n/boot/kernel/kernel text=", "\nPROBE BEGIN\n").contains(
                "\nENV currdev=zfs:ubzprobe/ROOT/default:\n", "\nENV vfs.root.mountfrom=zfs:ubzprobe/ROOT/default\n",
                "\nENV zfs_be_root=ubzprobe/ROOT\n", "\nPROBE END ");
    }

    /**
     * A snapshot is a device too: zfs:POOL/ROOT/BE@SNAP: reads the files as they were when it was taken; a
     * clone of it (a new boot environment, as bectl create makes one) reads the same and is listed.
     */
    @Test
    void snapshotsReadAsTheyWere() throws Exception {
        Path tree = Trees.target().resolve("trees/zfs-snap");
        Trees.delete(tree);
        Files.createDirectories(tree.resolve("boot"));
        Files.writeString(tree.resolve("boot/loader.conf"), "original\n");
        List<String> devices = devices(ZfsFixtures.fusePool("ubzsnap", "", 1, "", Map.of("default", tree.toString()),
                Map.of("SNAPSHOT", "before", "CHANGE", "boot/loader.conf", "CLONE", "clone")));
        List<String> args = new ArrayList<>(List.of("cat"));
        args.addAll(devices);
        args.add("zfs:ubzsnap/ROOT/default@before:/boot/loader.conf");
        assertThat(ProbeBootTest.run(args.toArray(String[]::new)).out()).isEqualTo("original\n");
        args.set(args.size() - 1, "zfs:ubzsnap/ROOT/default:/boot/loader.conf");
        assertThat(ProbeBootTest.run(args.toArray(String[]::new)).out()).isEqualTo("changed\n");
        args.set(args.size() - 1, "zfs:ubzsnap/ROOT/clone:/boot/loader.conf");
        assertThat(ProbeBootTest.run(args.toArray(String[]::new)).out()).isEqualTo("original\n");
        List<String> lsdev = new ArrayList<>(List.of("lsdev"));
        lsdev.addAll(devices);
        assertThat(ProbeBootTest.run(lsdev.toArray(String[]::new)).out()).contains("zfs devices:", "    zfs:ubzsnap");
        args.set(args.size() - 1, "zfs:ubzsnap/ROOT/default@nope:/boot/loader.conf");
        ProbeBootTest.Run none = ProbeBootTest.run(args.toArray(String[]::new));
        assertThat(none.status()).isEqualTo(userboot4j.Sysexits.EX_NOINPUT);
        assertThat(none.err()).contains("ubzsnap/ROOT/default@nope: no such snapshot");
    }

    /** Pools on plain files, and a pool needing a feature the loader cannot read, are named as refused. */
    @Test
    void poolsTheLoaderWouldRefuseAreNamed() throws Exception {
        ProbeBootTest.Run fuse = ProbeBootTest.run("inspect", "-d",
                ZfsFixtures.unpack("zfs-fuse", "fzsingle-d0.img.xz").toString());
        assertThat(fuse.err()).contains("zfs:fzsingle/ROOT/default: FreeBSD 13.2's loader would refuse this pool: "
                + "can only boot from disk, mirror, raidz1, raidz2 and raidz3 vdevs, got: file");
        ProbeBootTest.Run edonr = ProbeBootTest.run("inspect", "-d",
                ZfsFixtures.unpack("openzfs-modern", "ozlz4-vda.img.xz").toString());
        assertThat(edonr.err()).contains("FreeBSD 13.2's loader would refuse this pool: unsupported feature: "
                + "org.illumos:edonr");
    }

    /** lsdev names pools and datasets; ls and cat read a boot environment named as the loader spells it. */
    @Test
    void lsdevLsAndCatOnTheBootablePool() throws Exception {
        List<String> devices = devices(ZfsFixtures.fbzmodern());
        JsonNode files = bootableManifest().path("datasets").path("fbzmodern/ROOT/alt").path("files");

        List<String> args = new ArrayList<>(List.of("lsdev"));
        args.addAll(devices);
        ProbeBootTest.Run lsdev = ProbeBootTest.run(args.toArray(String[]::new));
        assertThat(lsdev.out()).contains("zfs devices:\n    zfs:fbzmodern\n");

        args = new ArrayList<>(List.of("ls", "-l"));
        args.addAll(devices);
        args.add("zfs:fbzmodern/ROOT/alt:/boot/kernel");
        ProbeBootTest.Run ls = ProbeBootTest.run(args.toArray(String[]::new));
        assertThat(ls.status()).as(ls.err()).isZero();
        List<String> expected = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().matches("/boot/kernel/[^/]+")) {
                expected.add(f.getValue().path("size").asLong() + " " + f.getKey().substring("/boot/kernel/".length()));
            }
        }
        List<String> listed = ls.out().lines().map(l -> l.trim().replaceFirst("^\\S+\\s+", "").replaceAll("\\s+", " "))
                .toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);

        for (String dataset : List.of("fbzmodern/ROOT/default", "fbzmodern/ROOT/alt")) {
            args = new ArrayList<>(List.of("cat"));
            args.addAll(devices);
            args.add("zfs:" + dataset + ":/boot/loader.conf");
            ProbeBootTest.Run cat = ProbeBootTest.run(args.toArray(String[]::new));
            assertThat(cat.status()).as(cat.err()).isZero();
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    cat.out().getBytes(StandardCharsets.ISO_8859_1)));
            assertThat(sha).isEqualTo(bootableManifest().path("datasets").path(dataset).path("files")
                    .path("/boot/loader.conf").path("sha256").asText());
        }
    }
}
