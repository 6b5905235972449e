package userboot4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import userboot4j.fs.zfs.OpenZfs23Test;

/**
 * The pool ozckpt (OpenZFS 2.3, FreeBSD 13.2's menu scripts in its boot environment, a checkpoint taken
 * before its loader.conf changed) at FreeBSD 13.2's own loader, fed the same keys: the main menu with its
 * Rewind ZFS Checkpoint entry, the entry toggled (by key and by number) and back, and the prompt after it
 * (the variables the toggle set, the loader.conf that was read, the checkpoint's device name, which the
 * loader refuses). The pool's kernel is no ELF file, so nothing is booted.
 */
class CheckpointMenuTest {
    static List<String> devices() throws Exception {
        List<String> out = new ArrayList<>();
        for (Path d : OpenZfs23Test.disks(OpenZfs23Test.manifest().path("ozckpt"))) {
            out.addAll(List.of("-d", d.toString()));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", " c", " C7", " 7", " cc", " 8c7\b", " 8", " c83",
        " c3show vfs.root.mountfrom\rshow currdev\rshow ckpt_state\rshow zpool_checkpoint\rshow bootenvs_check[0]\r",
        " 3show bootenvs_check_count\rshow ckpt_state\rls zfs:!ozckpt/ROOT/default:/boot\rls /boot\r",
        " cc3show vfs.root.mountfrom\rset currdev=zfs:!ozckpt/ROOT/default:\rshow currdev\rmore /boot/loader.conf\r"})
    void rewindCheckpointAsFreeBsdsLoader(String keys) throws Exception {
        InteractTest.sameAsFreeBsd(devices(), keys, "\u001bc", true);
    }

    /** FreeBSD 15.1's loader on the same pool runs the pool's 13.2 scripts: the same entry and toggle. */
    @ParameterizedTest
    @ValueSource(strings = {" ", " c", " cc", " c3show vfs.root.mountfrom\rshow currdev\rshow ckpt_state\r"})
    void rewindCheckpointAsFreeBsd15sLoader(String keys) throws Exception {
        InteractTest.sameAsFreeBsd(userboot4j.testsupport.Oracle.Release.FREEBSD_15_1, devices(), List.of(), keys,
                "\u001bc", true, java.util.function.UnaryOperator.identity());
    }
}
