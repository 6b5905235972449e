package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import userboot4j.fs.zfs.OpenZfs23Test;
import userboot4j.testsupport.Oracle;
import userboot4j.testsupport.Trees;

/**
 * {@code inspect --as}: whether another release's loader would boot the guest, against that release's own
 * loader run on the same guest (FreeBSD 13.2's and 15.1's userboot.so).
 */
class InspectAsTest {
    /** 13.2's loader runs 15.1's scripts, prints their "too old" banner and boots; 15.1's boots quietly. */
    @Test
    void a15GuestBootsUnder13WithTheTooOldBanner() throws Exception {
        Path tree = Trees.generic15();
        for (Oracle.Release r : List.of(Oracle.Release.FREEBSD_13_2, Oracle.Release.FREEBSD_15_1)) {
            JsonNode oracle = Oracle.run(r, List.of("-h", tree.toString()), "1G", List.of(), null);
            boolean tooOld = oracle.path("console").asText().contains("BOOT LOADER IS TOO OLD. PLEASE UPGRADE.");
            assertThat(oracle.path("result").asText()).as(r + " starts the kernel").isEqualTo("exec");

            ProbeBootTest.Run ours = ProbeBootTest.run("inspect", "--as", release(r), "-m", "1G", "-h", tree.toString());
            assertThat(ours.status()).as(ours.err()).isZero();
            assertThat(ours.out()).startsWith("FreeBSD " + release(r) + "'s loader would boot this guest\n");
            assertThat(ours.out().contains("prints \"BOOT LOADER IS TOO OLD. PLEASE UPGRADE.\"")).as(r.toString())
                    .isEqualTo(tooOld);
        }
    }

    /**
     * OpenZFS 2.3's default pool: 13.2's loader names the features it cannot read, and --as 13.2 names the
     * same; --as 15.1 names none, as 15.1's loader does. The pool's kernel is a stand-in, so every release
     * fails at it, and says so.
     */
    @Test
    void anOpenZfs23PoolIsRefusedBy13WithItsWords() throws Exception {
        List<Path> disks = OpenZfs23Test.disks(OpenZfs23Test.manifest().path("ozdefault"));
        for (Oracle.Release r : List.of(Oracle.Release.FREEBSD_13_2, Oracle.Release.FREEBSD_15_1)) {
            Set<String> theirs = OpenZfs23Test.refusals(OpenZfs23Test.oracleConsole(r, disks));
            List<String> args = new ArrayList<>(List.of("inspect", "--as", release(r), "--json"));
            for (Path d : disks) {
                args.addAll(List.of("-d", d.toString()));
            }
            ProbeBootTest.Run ours = ProbeBootTest.run(args.toArray(String[]::new));
            assertThat(ours.status()).as(ours.err()).isEqualTo(1);
            JsonNode verdict = new ObjectMapper().readTree(ours.out());
            assertThat(verdict.path("release").asText()).isEqualTo(release(r));
            assertThat(verdict.path("boots").asBoolean()).isFalse();
            Set<String> named = new TreeSet<>();
            for (JsonNode why : verdict.path("reasons")) {
                int at = why.asText().indexOf("unsupported feature: ");
                if (at >= 0) {
                    named.add("ZFS: " + why.asText().substring(at));
                }
            }
            assertThat(named).as(r.toString()).isEqualTo(theirs);
            assertThat(verdict.path("reasons").get(verdict.path("reasons").size() - 1).asText())
                    .contains("/boot/kernel/kernel").contains("not an ELF file");
        }
        assertThat(OpenZfs23Test.refusals(OpenZfs23Test.oracleConsole(Oracle.Release.FREEBSD_13_2, disks)))
                .as("the case is worth testing").isNotEmpty();
    }

    @Test
    void anUnknownReleaseIsAUsageError() {
        ProbeBootTest.Run r = ProbeBootTest.run("inspect", "--as", "12.4", "-h", Trees.target().toString());
        assertThat(r.status()).isEqualTo(64);
        assertThat(r.err()).startsWith("userboot4j: unknown loader release '12.4' (13, 14 or 15, e.g. 15.1)\n");
    }

    private static String release(Oracle.Release r) {
        return r == Oracle.Release.FREEBSD_13_2 ? "13.2" : "15.1";
    }
}
