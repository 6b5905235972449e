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
        List<String> devices = new ArrayList<>();
        for (Path d : disks(disks)) {
            devices.addAll(List.of("-d", d.toString()));
        }
        Path keys = Trees.target().resolve("lsdev-keys");
        // a space first: it stops a countdown, and is nothing to a prompt reached straight away
        Files.writeString(keys, " lsdev\rlsdev -v\rquit\r", StandardCharsets.ISO_8859_1);
        List<String> harness = new ArrayList<>(devices);
        harness.addAll(List.of("-k", keys.toString()));
        JsonNode oracle = Oracle.run(harness, "256M", List.of("beastie_disable=YES"), null);
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

    @ParameterizedTest
    @ValueSource(strings = {"disk0p2:", "disk0p2:/", "disk1s1a:/", "disk1s1:"})
    void lsReadsTheDeviceNamed(String device) throws Exception {
        ProbeBootTest.Run r = ProbeBootTest.run("ls", "-d", Images.sharedUfs("fbsd-gpt-ufs2.img.xz").toString(),
                "-d", Images.sharedUfs("fbsd-mbr-bsd-ufs1.img.xz").toString(), device);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("boot\ndata\n");
    }
}
