package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import userboot4j.BootImage;
import userboot4j.testsupport.Oracle;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Trees;

/**
 * userboot4j against FreeBSD 13.2's own userboot.so on the same tree: the oracle's compare.py must find no
 * difference in registers, segments, modulep/kernend, files, metadata and environment, and every guest
 * page either loader wrote must hold the same bytes.
 */
class OracleDifferentialTest {
    @Test
    void genericKernelWithLinux64Chain() throws Exception {
        Path tree = Oracle.bootable(Trees.generic(), "oracle-generic");
        Files.writeString(tree.resolve("boot/loader.conf"), "linux64_load=\"YES\"\nautoboot_delay=\"0\"\n");
        compare(tree, "1G", List.of());
    }

    @Test
    void genericKernelWithDashEAndHighmem() throws Exception {
        Path tree = Oracle.bootable(Trees.generic(), "oracle-generic-e");
        Files.writeString(tree.resolve("boot/loader.conf"),
                "nullfs_load=\"YES\"\nautoboot_delay=\"0\"\nkernel_options=\"-s foo bar=baz -S9600 -vPa\"\n");
        compare(tree, "5G", List.of("boot_verbose=YES", "hw.physmem=4G", "boot_verbose=NO", "smbios.bios.vendor=X"));
    }

    /**
     * GENERIC in 32 MiB: FreeBSD's loader lets each copyin past the end of memory fail and hands the kernel
     * a boot it cannot use; ours refuses it in one line naming the size it needs, the smallest with which
     * the real loader's copyins all succeed.
     */
    @Test
    void genericKernelInTooLittleMemory() throws Exception {
        Path tree = Oracle.bootable(Trees.generic(), "oracle-generic-small");
        Files.writeString(tree.resolve("boot/loader.conf"), "autoboot_delay=\"0\"\n");
        ProbeBootTest.Run r = ProbeBootTest.inspect(tree, "-m", "32M");
        ProbeBootTest.assertOneLineError(r, userboot4j.Sysexits.EX_DATAERR,
                "guest memory (32 MiB) is too small for this boot: it needs at least ");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("at least (\\d+) MiB \\(give -m (\\d+)M or more\\)$")
                .matcher(r.err().strip());
        assertThat(m.find()).as(r.err()).isTrue();
        assertThat(m.group(2)).isEqualTo(m.group(1));
        int needed = Integer.parseInt(m.group(1));
        assertThat(copyinFaults(Oracle.run(tree, (needed - 1) + "M", List.of(), null))).isPositive();
        assertThat(copyinFaults(Oracle.run(tree, needed + "M", List.of(), null))).isZero();
    }

    private static long copyinFaults(JsonNode report) {
        assertThat(report.path("result").asText()).isEqualTo("exec");
        long n = 0;
        for (JsonNode e : report.path("events")) {
            n += e.path("op").asText().equals("copyin_fault") ? 1 : 0;
        }
        return n;
    }

    @Test
    void probeKernelWithDependencyChain() throws Exception {
        compare(Oracle.bootable(Trees.probe(), "oracle-probe"), "512M", List.of("probe.x=1"));
    }

    @Test
    void probeModuleTakingTheBestVersionInRange() throws Exception {
        Path tree = Oracle.bootable(Trees.probe(), "oracle-probe-d");
        Files.writeString(tree.resolve("boot/loader.conf"), "probe_d_load=\"YES\"\nautoboot_delay=\"0\"\n");
        compare(tree, "256M", List.of());
    }

    @Test
    void i386ProbeKernel() throws Exception {
        compare(Oracle.bootable(Trees.probe().resolve("i386"), "oracle-probe-i386"), "512M",
                List.of("boot_verbose=YES"));
    }

    /**
     * UFS1 in the GPT partition: FreeBSD 13.2's loader refuses a UFS2 superblock anywhere but 64 KiB, and
     * Debian's makefs writes it at 8 KiB (docs/LOADER-NOTES.md).
     */
    @Test
    void probeFromGptUfsImage() throws Exception {
        Path tree = Oracle.bootable(Trees.probe(), "oracle-disk-gpt");
        Trees.delete(tree.resolve("i386"));
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/fstab"), "/dev/vtbd0p2\t/\tufs\trw,noatime\t1\t1\n");
        Path dir = Trees.target().resolve("disk-images");
        Files.createDirectories(dir);
        Path img = userboot4j.testsupport.Images.gpt(userboot4j.testsupport.Images.ufs(tree, 1,
                dir.resolve("oracle-gpt-ufs1.fs"), "-s", "24m"), dir.resolve("oracle-gpt-ufs1.img"));
        compare(List.of("-d", img.toString()), "256M", List.of());
    }

    /**
     * UFS2 as Debian's makefs writes it (superblock at 8 KiB): FreeBSD's loader prints "UFS2 superblock
     * failed" and, finding no file system, never boots; ours boots it with one warning saying so. UFS1 from
     * the same makefs, which both read, gets none.
     */
    @Test
    void debianMakefsUfs2BootsWithOneWarning() throws Exception {
        Path tree = Oracle.bootable(Trees.probe(), "oracle-debian-ufs2");
        Trees.delete(tree.resolve("i386"));
        Path dir = Files.createDirectories(Trees.target().resolve("disk-images"));
        Path ufs2 = userboot4j.testsupport.Images.ufs(tree, 2, dir.resolve("oracle-debian-ufs2.img"), "-s", "24m");
        JsonNode oracle = Oracle.run(List.of("-d", ufs2.toString()), "256M", List.of(), null);
        assertThat(oracle.path("console").asText()).contains("UFS2 superblock failed");
        assertThat(oracle.path("exec").asBoolean()).isFalse();
        assertThat(oracle.path("result").asText()).isNotEqualTo("exec");

        ProbeBootTest.Run ours = ProbeBootTest.run("inspect", "-d", ufs2.toString());
        assertThat(ours.status()).as(ours.err()).isZero();
        assertThat(ours.err()).isEqualTo("userboot4j: warning: disk0: FreeBSD's loader would not read this file system:"
                + " its UFS2 superblock is at 8 KiB, where FreeBSD's loader looks for UFS2 only at 64 KiB: it would"
                + " find no file system and stop at its prompt\n");

        Path ufs1 = userboot4j.testsupport.Images.ufs(tree, 1, dir.resolve("oracle-debian-ufs1.img"), "-s", "24m");
        assertThat(Oracle.run(List.of("-d", ufs1.toString()), "256M", List.of(), null).path("result").asText())
                .isEqualTo("exec");
        ProbeBootTest.Run quiet = ProbeBootTest.run("inspect", "-d", ufs1.toString());
        assertThat(quiet.status()).as(quiet.err()).isZero();
        assertThat(quiet.err()).isEmpty();
    }

    @Test
    void probeFromMbrBsdLabelUfs1Image() throws Exception {
        Path tree = Oracle.bootable(Trees.probe(), "oracle-disk-mbr");
        Trees.delete(tree.resolve("i386"));
        Path dir = Trees.target().resolve("disk-images");
        Files.createDirectories(dir);
        Path img = userboot4j.testsupport.Images.mbrBsd(userboot4j.testsupport.Images.ufs(tree, 1,
                dir.resolve("oracle-ufs1.fs"), "-s", "24m"), dir.resolve("oracle-mbr-ufs1.img"));
        compare(List.of("-d", img.toString()), "256M", List.of());
    }

    /** An ISO 9660 image with Rock Ridge, its kernel gzip'd: the real loader's cd9660 and gzipfs against ours. */
    @Test
    void probeFromIsoWithGzippedKernel() throws Exception {
        Path tree = Oracle.bootable(Trees.probe(), "oracle-iso");
        Trees.delete(tree.resolve("i386"));
        Processes.run(List.of("gzip", "-9", tree.resolve("boot/kernel/kernel").toString()), null);
        Path dir = Trees.target().resolve("disk-images");
        Files.createDirectories(dir);
        Path iso = userboot4j.testsupport.Images.iso(tree, dir.resolve("oracle.iso"));
        compare(List.of("-d", iso.toString()), "256M", List.of());
    }

    /**
     * Every construct of loader.conf the loader knows in one guest: module lines with _name, _type (md_image,
     * cpu_microcode), _flags, _before, _after, _error (for a module that is nowhere), exec=, quoting,
     * tunables, loader_conf_dirs, module_blacklist, a nextboot.conf, /boot/entropy from the defaults. Many independent modules, so Lua's table
     * order decides their order: files are matched by name, and their section headers (whose addresses
     * follow the order) and guest memory are not compared.
     */
    @Test
    void everyLoaderConfConstruct() throws Exception {
        compare(List.of("-h", everyConstructTree().toString()), "256M", List.of(), true);
    }

    /** The same with verbose_loading: each module's name before it loads, "failed!" and "ok". */
    @Test
    void everyLoaderConfConstructVerbosely() throws Exception {
        Path tree = everyConstructTree();
        Files.writeString(tree.resolve("boot/loader.conf"), "verbose_loading=\"YES\"\n",
                java.nio.file.StandardOpenOption.APPEND);
        compare(List.of("-h", tree.toString()), "256M", List.of(), true);
    }

    /** The probe tree with a loader.conf that uses every construct (see everyLoaderConfConstruct). */
    static Path everyConstructTree() throws Exception {
        return everyConstructTree(Oracle.Release.FREEBSD_13_2);
    }

    /** The same with {@code release}'s Lua scripts and defaults. */
    static Path everyConstructTree(Oracle.Release release) throws Exception {
        Path tree = Oracle.bootable(release, Trees.probe(), "oracle-every-construct");
        Trees.delete(tree.resolve("i386"));
        Files.copy(release.generic().resolve("boot/defaults/loader.conf"), tree.resolve("boot/defaults/loader.conf"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(tree.resolve("boot/loader.conf.d"));
        Files.createDirectories(tree.resolve("boot/firmware"));
        java.util.Random random = new java.util.Random(7);
        for (String[] f : new String[][] {{"boot/mfsroot", "5000"}, {"boot/firmware/ucode.bin", "3000"},
            {"boot/entropy", "4096"}}) {
            byte[] b = new byte[Integer.parseInt(f[1])];
            random.nextBytes(b);
            Files.write(tree.resolve(f[0]), b);
        }
        Files.writeString(tree.resolve("boot/loader.conf"), String.join("\n", "# every construct",
                "autoboot_delay=\"0\"", "probe_solo_load=\"YES\"", "probe_solo_flags=\"-x arg=1\"",
                "probe_solo_before=\"echo before solo\"", "probe_solo_after=\"echo after solo\"",
                "mymd_load=\"YES\"", "mymd_type=\"md_image\"", "mymd_name=\"/boot/mfsroot\"",
                "cpu_microcode_load=\"YES\"", "cpu_microcode_name=\"/boot/firmware/ucode.bin\"",
                "missing_load=\"YES\"", "missing_error=\"echo missing failed\"", "exec=\"echo hello from exec\"",
                "hw.physmem=\"1G\"", "kern.hz=100", "some.thing=\"with spaces inside\"", "probe_a_load=\"YES\"",
                "probe_d_load=\"YES\"", "module_blacklist=\"probe_d other\"", ""));
        Files.writeString(tree.resolve("boot/nextboot.conf"), "nextboot_enable=\"YES\"\nnext.var=\"once\"\n");
        Files.writeString(tree.resolve("boot/loader.conf.d/extra.conf"), "extra.var=\"from conf dir\"\n");
        return tree;
    }

    /**
     * FreeBSD 15.1's GENERIC tree with linux64 (linux_common, mqueuefs) and if_bridge (bridgestp) against 15.1's
     * own loader: its config.lua hands every module setting of loader.conf to the kernel, its core.lua turns ACPI
     * on. Two independent chains, so Lua's order decides theirs.
     */
    @Test
    void generic15WithLinux64AndBridge() throws Exception {
        Path tree = Oracle.bootable(Oracle.Release.FREEBSD_15_1, Trees.generic15(), "oracle-generic15");
        Files.writeString(tree.resolve("boot/loader.conf"),
                "linux64_load=\"YES\"\nif_bridge_load=\"YES\"\nautoboot_delay=\"0\"\n");
        compare(Oracle.Release.FREEBSD_15_1, List.of("-h", tree.toString()), "1G", List.of(), true);
        assertThat(inspectJson(tree).path("loader_release").path("release").asText()).isEqualTo("15");
    }

    /**
     * 15.1's configuration sources in order: loader.conf, loader.conf.d (and, by product_vars, the directory named
     * after bhyve's smbios.bios.vendor), then loader.conf.local last, each overriding the one before; nullfs
     * alone, so the files and guest memory are compared exactly.
     */
    @Test
    void generic15ConfDirsAndLocalConf() throws Exception {
        Path tree = Oracle.bootable(Oracle.Release.FREEBSD_15_1, Trees.generic15(), "oracle-generic15-conf");
        Files.writeString(tree.resolve("boot/loader.conf"), "autoboot_delay=\"0\"\nproduct_vars=\"smbios.bios.vendor "
                + "smbios.system.product\"\nwho=\"loader.conf\"\nfirst=\"loader.conf\"\n");
        Files.createDirectories(tree.resolve("boot/loader.conf.d/BHYVE"));
        Files.writeString(tree.resolve("boot/loader.conf.d/nullfs.conf"), "nullfs_load=\"YES\"\nwho=\"conf.d\"\n");
        Files.writeString(tree.resolve("boot/loader.conf.d/BHYVE/bhyve.conf"), "who=\"product\"\nvendor.seen=YES\n");
        Files.writeString(tree.resolve("boot/loader.conf.local"), "who=\"local\"\nkern.hz=\"100\"\n");
        compare(Oracle.Release.FREEBSD_15_1, List.of("-h", tree.toString()), "512M", List.of(), false);
    }

    /** Every loader.conf construct (see everyLoaderConfConstruct) on the probe tree with 15.1's scripts and loader. */
    @Test
    void everyLoaderConfConstructWith15() throws Exception {
        compare(Oracle.Release.FREEBSD_15_1, List.of("-h", everyConstructTree(Oracle.Release.FREEBSD_15_1).toString()),
                "256M", List.of(), true);
    }

    /**
     * The scripts decide: FreeBSD 15.1's loader on the 15.1 tree holding 13.2's scripts boots as 13.2's does, and
     * userboot4j, finding 13.2's config.lua there, follows 13; and on the tree with 15.1's own scripts, told
     * {@code --loader-release 13.2}, it gives the same boot.
     */
    @Test
    void scriptsOf13On15Tree() throws Exception {
        Path tree = Oracle.bootable(Oracle.Release.FREEBSD_13_2, Trees.generic15(), "oracle-generic15-lua13");
        Files.writeString(tree.resolve("boot/loader.conf"), "linux64_load=\"YES\"\nautoboot_delay=\"0\"\n");
        List<String> devices = List.of("-h", tree.toString());
        compare(Oracle.Release.FREEBSD_15_1, devices, "1G", List.of(), false);
        assertThat(inspectJson(tree).path("loader_release").path("release").asText()).isEqualTo("13");

        Path own = Oracle.bootable(Oracle.Release.FREEBSD_15_1, Trees.generic15(), "oracle-generic15-forced13");
        Files.copy(tree.resolve("boot/loader.conf"), own.resolve("boot/loader.conf"));
        compare(Oracle.Release.FREEBSD_15_1, devices, List.of("-h", own.toString(), "--loader-release", "13.2"), "1G",
                List.of(), false);
    }

    /** The probe kernel with 15.1's scripts: the acpi module core.lua asks for is nowhere, as the loader reports. */
    @Test
    void probeKernelWith15() throws Exception {
        Path tree = Oracle.bootable(Oracle.Release.FREEBSD_15_1, Trees.probe(), "oracle-probe15");
        Trees.delete(tree.resolve("i386"));
        compare(Oracle.Release.FREEBSD_15_1, List.of("-h", tree.toString()), "512M", List.of("probe.x=1"), false);
    }

    private static List<String> fileNames(JsonNode files) {
        List<String> names = new java.util.ArrayList<>();
        files.forEach(f -> names.add(f.path("name").asText()));
        return names;
    }

    private static JsonNode inspectJson(Path tree) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"inspect", "-h", tree.toString(), "--json"}, new PrintStream(out, true),
                new PrintStream(new ByteArrayOutputStream(), true));
        assertThat(status).isZero();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toByteArray());
    }

    static void compare(Path tree, String mem, List<String> env) throws Exception {
        compare(List.of("-h", tree.toString()), mem, env);
    }

    static void compare(List<String> devices, String mem, List<String> env) throws Exception {
        compare(devices, mem, env, false);
    }

    /** With {@code anyOrder}, files are matched by name and only section-header addresses may differ. */
    static void compare(List<String> devices, String mem, List<String> env, boolean anyOrder) throws Exception {
        compare(Oracle.Release.FREEBSD_13_2, devices, mem, env, anyOrder);
    }

    /** The same against {@code release}'s loader; userboot4j follows the guest's release as it finds it. */
    static void compare(Oracle.Release release, List<String> devices, String mem, List<String> env, boolean anyOrder)
            throws Exception {
        compare(release, devices, devices, mem, env, anyOrder);
    }

    /** The same with other arguments for userboot4j ({@code ours}: its devices and options) than for the oracle. */
    static void compare(Oracle.Release release, List<String> devices, List<String> ours, String mem, List<String> env,
            boolean anyOrder) throws Exception {
        Path theirDump = Trees.target().resolve("oracle-dump.bin");
        Path ourDump = Trees.target().resolve("ours-dump.bin");
        JsonNode oracle = Oracle.run(release, devices, mem, env, theirDump);
        assertThat(oracle.path("result").asText()).isEqualTo("exec");

        List<String> args = new java.util.ArrayList<>(List.of("inspect"));
        args.addAll(ours);
        args.addAll(List.of("-m", mem, "--json", "--dump-memory", ourDump.toString()));
        for (String e : env) {
            args.add("-e");
            args.add(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args.toArray(String[]::new), new PrintStream(out, true), new PrintStream(err, true));
        assertThat(status).as("inspect: %s", err).isZero();

        Processes.Result r = comparePy(out.toByteArray(), oracle, anyOrder);
        JsonNode mine = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toByteArray());
        if (mine.path("entry").path("mode").asText().equals("i386")) {
            // The harness decodes no i386 hand-off (its README: the i386 path was untested), so compare.py
            // checks registers and segments only; the memory comparison below covers files and metadata.
            assertThat(r.out()).isEqualTo("file /boot/kernel/kernel: ours loads it, the oracle does not\n"
                    + "oracle: 42 checks agree, 1 differ\n");
        } else if (anyOrder) {
            // a module's section headers hold the addresses its sections got, which follow the load order;
            // where the order differs, so do the page-rounding gaps, and with them the environment's place
            String orderFollows = "file \\d+ \\S+\\.ko SHDR bytes: differ from the oracle's .*";
            if (!fileNames(mine.path("files")).equals(fileNames(oracle.path("handoff").path("modules")))) {
                orderFollows += "|(modulep|kernend): ours 0x\\p{XDigit}+, oracle 0x\\p{XDigit}+"
                        + "|file 0 \\S+ (ENVP|KERNEND) value: .*";
            }
            for (String line : r.out().lines().toList()) {
                assertThat(line).matches(orderFollows + "|oracle: \\d+ checks agree, \\d+ differ");
            }
            assertSameConsole(mine, oracle, true);
            return;
        } else {
            assertThat(r.out()).endsWith(" 0 differ\n");
            assertThat(r.status()).isZero();
        }
        assertSameConsole(mine, oracle, false);
        long end = 0;
        for (JsonNode p : oracle.path("pages")) {
            end = Math.max(end, Long.decode(p.get(0).asText()) + BootImage.PAGE_SIZE);
        }
        for (JsonNode region : mine.path("regions")) {
            end = Math.max(end, Long.decode(region.path("addr").asText()) + region.path("length").asLong());
        }
        assertThat(Files.size(ourDump)).isEqualTo(Files.size(theirDump));
        assertSameMemory(ourDump, theirDump, end, keybufInterior(mine));
        Files.delete(ourDump);
        Files.delete(theirDump);
    }

    /** compare.py's verdict on {@code inspect --json}'s output against the oracle's report. */
    static Processes.Result comparePy(byte[] inspectJson, JsonNode oracle, boolean anyOrder) throws Exception {
        Path oursJson = Files.createTempFile(Trees.target(), "ours-", ".json");
        Files.write(oursJson, inspectJson);
        Path theirsJson = Files.createTempFile(Trees.target(), "oracle-", ".json");
        new com.fasterxml.jackson.databind.ObjectMapper().writeValue(theirsJson.toFile(), oracle);
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", Oracle.dir().resolve("compare.py").toString()));
        if (anyOrder) {
            cmd.add("--any-order");
        }
        cmd.addAll(List.of(oursJson.toString(), theirsJson.toString()));
        Processes.Result r = Processes.exec(cmd, null);
        Files.delete(oursJson);
        Files.delete(theirsJson);
        return r;
    }

    /**
     * The loader's lines on the console: the configuration files read, in order; then from "Loading
     * kernel..." on, the kernel's line and "Loading configured modules..." in place and the module lines as
     * a set, since Lua's table order decides theirs. The oracle's console is cleaned of the spinner, the
     * escape sequences and the menu the Lua loader draws, and of the complaints about the disk writes the
     * harness refuses (erasing a ZFS bootonce; bhyveload opens disks read-write and they would succeed).
     * With {@code anyOrder} the modules' load addresses are left out, as they follow Lua's order.
     */
    static void assertSameConsole(JsonNode ours, JsonNode oracle, boolean anyOrder) {
        String raw = oracle.path("console").asText().replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "")
                .replaceAll(".\u0008", "");
        List<String> theirs = new java.util.ArrayList<>();
        String pause = "[Space] to pause ";
        for (String l : raw.split("\r?\n")) {
            String t = l.stripTrailing();
            if (t.contains("Autoboot in ")) {
                // the menu and its countdown, drawn by cursor moves; 15.1's goes on to the next line's text
                int at = t.lastIndexOf(pause);
                t = at < 0 ? "" : t.substring(at + pause.length()).strip();
            }
            if (!t.isEmpty() && !t.startsWith("Consoles: ") && !t.startsWith("FreeBSD/")
                    && !t.startsWith("failed to write bootenv to ")) {
                theirs.add(anyOrder ? t.replaceAll(" at 0x[0-9a-f]+$", " at …") : t);
            }
        }
        List<String> mine = new java.util.ArrayList<>();
        ours.path("console").forEach(c -> {
            String t = c.asText().stripTrailing();
            if (!t.isEmpty()) {
                mine.add(anyOrder ? t.replaceAll(" at 0x[0-9a-f]+$", " at …") : t);
            }
        });
        int k = mine.indexOf("Loading kernel...");
        assertThat(k).as("ours: %s", mine).isNotNegative();
        assertThat(theirs).as("oracle console").contains("Loading kernel...");
        int t = theirs.indexOf("Loading kernel...");
        assertThat(theirs.subList(0, t)).as("configuration lines").isEqualTo(mine.subList(0, k));
        assertThat(theirs.subList(t, Math.min(t + 3, theirs.size()))).isEqualTo(mine.subList(k, Math.min(k + 3,
                mine.size())));
        assertThat(theirs.subList(t, theirs.size())).as("lines from the kernel on")
                .containsExactlyInAnyOrderElementsOf(mine.subList(k, mine.size()));
    }

    /**
     * Where an i386 hand-off's KEYBUF record keeps its data, past its entry count: userboot leaves those
     * bytes of its heap uninitialised (docs/LOADER-NOTES.md), so they are not compared. Null otherwise.
     */
    private static long[] keybufInterior(JsonNode ours) {
        if (!ours.path("entry").path("mode").asText().equals("i386")) {
            return null;
        }
        long p = Long.decode(ours.path("modulep").asText());
        for (JsonNode f : ours.path("files")) {
            p += record(f.path("name").asText().length() + 1) + record(f.path("type").asText().length() + 1)
                    + (f.path("args").isNull() ? 0 : record(f.path("args").asText().length() + 1))
                    + record(4) + record(8);
            for (JsonNode m : f.path("metadata")) {
                if (m.path("type").asText().equals("KEYBUF")) {
                    return new long[] {p + 8 + 4, p + 8 + m.path("size").asLong()};
                }
                p += record(m.path("size").asInt());
            }
        }
        throw new AssertionError("an i386 hand-off without KEYBUF");
    }

    private static long record(int size) {
        return 8 + ((size + 3) & ~3);
    }

    /** Both dumps hold each written page at its guest physical offset; unwritten pages read as zero. */
    private static void assertSameMemory(Path ours, Path theirs, long length, long[] skip) throws Exception {
        try (InputStream a = Files.newInputStream(ours); InputStream b = Files.newInputStream(theirs)) {
            assertThat(length).isGreaterThan(0x200000);
            byte[] pa = new byte[BootImage.PAGE_SIZE];
            byte[] pb = new byte[BootImage.PAGE_SIZE];
            for (long off = 0; off < length; off += BootImage.PAGE_SIZE) {
                java.util.Arrays.fill(pa, (byte) 0);
                java.util.Arrays.fill(pb, (byte) 0);
                a.readNBytes(pa, 0, pa.length);
                b.readNBytes(pb, 0, pb.length);
                for (int i = 0; skip != null && i < pa.length; i++) {
                    if (off + i >= skip[0] && off + i < skip[1]) {
                        pa[i] = pb[i];
                    }
                }
                if (!java.util.Arrays.equals(pa, pb)) {
                    int i = java.util.Arrays.mismatch(pa, pb);
                    throw new AssertionError(String.format("guest memory differs at 0x%x: ours 0x%02x, oracle 0x%02x",
                            off + i, pa[i], pb[i]));
                }
            }
        }
    }
}
