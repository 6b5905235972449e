package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import userboot4j.testsupport.Images;
import userboot4j.testsupport.Oracle;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Trees;
import userboot4j.testsupport.ZfsFixtures;

/**
 * {@code userboot4j lsdev [-v]} prints what FreeBSD 13.2's loader prints for {@code lsdev [-v]} at its prompt,
 * on the same disks: a GPT disk with an MBR disk holding a BSD label, the raidz1 pool fbzmodern whole and
 * without one of its disks, an ISO 9660 image, and a two-way mirror whole and with one disk. The
 * issue's case too: {@code ls disk0p2:} lists that partition's root.
 */
class LsdevTest {
    /** The disks of each case. */
    private static List<Path> disks(String name) throws Exception {
        return switch (name) {
            case "ufs" -> List.of(Images.sharedUfs("fbsd-gpt-ufs2.img.xz"), Images.sharedUfs("fbsd-mbr-bsd-ufs1.img.xz"));
            case "zfs" -> ZfsFixtures.fbzmodern();
            // raidz1 without its second disk: still readable, one vdev never seen
            case "zfs-missing" -> List.of(ZfsFixtures.fbzmodern().get(0), ZfsFixtures.fbzmodern().get(2));
            case "iso" -> {
                Path dir = Files.createDirectories(Trees.target().resolve("disk-images"));
                yield List.of(Images.iso(Trees.probe(), dir.resolve("lsdev.iso")));
            }
            case "mirror" -> mirror();
            case "mirror-missing" -> mirror().subList(0, 1);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static List<Path> mirror;

    /** A two-way mirror zfs-fuse makes, made once. */
    private static synchronized List<Path> mirror() throws Exception {
        if (mirror == null) {
            mirror = ZfsFixtures.fusePool("lsmirror", "mirror", 2, "default",
                    java.util.Map.of("default", Trees.probe().toString()));
        }
        return mirror;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ufs", "zfs", "zfs-missing", "iso", "mirror", "mirror-missing"})
    void sameAsFreeBsdsLsdev(String disks) throws Exception {
        assertSameLsdev(disks(disks));
    }

    /**
     * Every partition type the loader has words for, and some it has not: a GPT disk by sgdisk with one
     * partition of each type (EFI, the FreeBSD ones, Microsoft basic data, Linux data and swap, APFS), and MBR
     * disks by sfdisk with FreeBSD, Linux, FAT, NTFS and EFI slices, and an extended partition holding logical
     * ones, the FreeBSD one holding a BSD label with UFS, swap, vinum, ZFS, MS-DOS and an unused fstype.
     */
    @org.junit.jupiter.api.Test
    void partitionTypesInFreeBsdsWords() throws Exception {
        userboot4j.testsupport.Require.tool("sgdisk");
        userboot4j.testsupport.Require.tool("sfdisk");
        Path dir = Files.createDirectories(Trees.target().resolve("lsdev-types"));
        Path gpt = blank(dir.resolve("gpt.img"));
        List<String> sgdisk = new ArrayList<>(List.of("sgdisk"));
        String[] codes = {"ef00", "a501", "a503", "a504", "a502", "a505", "a500", "0700", "8300", "af0a", "8200"};
        for (int i = 0; i < codes.length; i++) {
            sgdisk.addAll(List.of("-n", (i + 1) + ":0:+1M", "-t", (i + 1) + ":" + codes[i]));
        }
        sgdisk.add(gpt.toString());
        Processes.run(sgdisk, null);
        Path mbr = sfdisk(blank(dir.resolve("mbr.img")), "start=63, size=4033, type=a5, bootable\n"
                + "start=4096, size=2048, type=83\nstart=6144, size=2048, type=c\nstart=8192, size=16384, type=5\n"
                + "start=10240, size=2048, type=82\nstart=14336, size=2048, type=7\nstart=18432, size=2048, type=ef\n"
                + "start=22528, size=2048, type=1\n");
        bsdLabel(mbr, 63, 4033, new int[] {7, 1, 0, 14, 27, 8, 2});
        Path mbr2 = sfdisk(blank(dir.resolve("mbr2.img")), "start=2048, size=2048, type=7\n"
                + "start=4096, size=2048, type=ef\nstart=6144, size=2048, type=1\nstart=8192, size=2048, type=b\n");
        assertSameLsdev(List.of(gpt, mbr, mbr2));
    }

    /** {@code lsdev} and {@code lsdev -v} at FreeBSD 13.2's prompt on {@code images}, and ours on the same. */
    private static void assertSameLsdev(List<Path> images) throws Exception {
        List<String> devices = new ArrayList<>();
        for (Path d : images) {
            devices.addAll(List.of("-d", d.toString()));
        }
        Path keys = Trees.target().resolve("lsdev-keys");
        // a space first: it stops a countdown, and is nothing to a prompt reached straight away
        Files.writeString(keys, " lsdev\rlsdev -v\rquit\r", StandardCharsets.ISO_8859_1);
        List<String> harness = new ArrayList<>(devices);
        harness.addAll(List.of("-k", keys.toString()));
        // LINES: room for every line without the pager's prompt
        JsonNode oracle = Oracle.run(harness, "256M", List.of("beastie_disable=YES", "LINES=200"), null);
        String console = oracle.path("console").asText().replaceAll("[-\\\\|/]\b", "").replace("\r\n", "\n");
        for (String v : List.of("", "-v")) {
            String command = (v.isEmpty() ? "lsdev" : "lsdev " + v) + "\n";
            int at = console.indexOf(command);
            String theirs = console.substring(at + command.length(), console.indexOf("OK ", at));
            List<String> args = new ArrayList<>(List.of("lsdev"));
            if (!v.isEmpty()) {
                args.add(v);
            }
            args.addAll(devices);
            assertThat(ProbeBootTest.run(args.toArray(String[]::new)).out()).isEqualTo(theirs);
        }
    }

    private static Path blank(Path img) throws Exception {
        Files.deleteIfExists(img);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(img,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(16 << 20);
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), (16 << 20) - 1);
        }
        return img;
    }

    private static Path sfdisk(Path img, String table) throws Exception {
        Process p = new ProcessBuilder("sfdisk", "--no-reread", "-q", img.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(("label: dos\n" + table).getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(msg).isZero();
        return img;
    }

    /**
     * A BSD label (sys/disklabel.h) in the slice at {@code start} of {@code sectors}: partition i of 256
     * sectors at 16 + 256 i with {@code fstypes[i]}, except the raw partition c, which covers the slice.
     */
    private static void bsdLabel(Path img, long start, int sectors, int[] fstypes) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(512).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int magic = 0x82564557;
        b.putInt(0, magic).putInt(40, 512).putInt(132, magic).putShort(138, (short) 8).putInt(140, 8192);
        for (int i = 0; i < fstypes.length; i++) {
            int at = 148 + 16 * i;
            if (i == 2) {
                b.putInt(at, sectors);
            } else {
                b.putInt(at, 256).putInt(at + 4, 16 + 256 * i).put(at + 12, (byte) fstypes[i]);
            }
        }
        short sum = 0;
        for (int i = 0; i < 148 + 8 * 16; i += 2) {
            sum ^= b.getShort(i);
        }
        b.putShort(136, sum);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(img,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(b, (start + 1) * 512);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"disk0p2:", "disk0p2:/", "disk1s1a:/", "disk1s1:"})
    void lsReadsTheDeviceNamed(String device) throws Exception {
        ProbeBootTest.Run r = ProbeBootTest.run("ls", "-d", Images.sharedUfs("fbsd-gpt-ufs2.img.xz").toString(),
                "-d", Images.sharedUfs("fbsd-mbr-bsd-ufs1.img.xz").toString(), device);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("boot\ndata\n");
    }
}
