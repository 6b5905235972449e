package userboot4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import userboot4j.testsupport.ZfsFixtures;

/**
 * The device commands at the prompt against FreeBSD 13.2's own loader on the bootable pool fbzmodern (three
 * raidz1 disks) with the probe tree as host0: lsdev, set currdev (refused and accepted names), ls, more,
 * include and load naming devices, boot with a device's kernel, and the boots that follow.
 */
class DeviceCommandsTest {
    @ParameterizedTest
    @ValueSource(strings = {
        " lsdev\rlsdev -v\rset currdev=bogus\rset currdev=disk:\rset currdev=diskx\rset currdev=disk0p:\r"
            + "set currdev=zfs:nope\rset currdev=zfs:nope:\rset currdev=zfs:fbzmodern/nope:\rset currdev=host7:\r"
            + "set currdev=disk0s1a:\rshow currdev\rls /\rset currdev=disk5:\rls /\rls disk0:/\rquit\r",
        " set currdev=zfs:fbzmodern/ROOT/alt:\rshow currdev\rls /\rls zfs:fbzmodern/ROOT/default:/boot/kernel\r"
            + "ls -l zfs:fbzmodern:/\rls host0:/boot\rls disk0p2:/\rmore zfs:fbzmodern/ROOT/alt:/etc/fstab\r"
            + "include host0:/nope\rquit\r",
        " unload\rload zfs:fbzmodern/ROOT/alt:/boot/kernel/kernel\rlsmod\rboot\r",
        " set currdev=zfs:fbzmodern/ROOT/alt:\runload\rboot\r",
        " unload\rboot zfs:fbzmodern/ROOT/alt:/boot/kernel/kernel\r"})
    void sameScreensAsFreeBsdsLoader(String keys) throws Exception {
        List<String> devices = new ArrayList<>(List.of("-h", InteractTest.tree().toString()));
        for (Path d : ZfsFixtures.fbzmodern()) {
            devices.addAll(List.of("-d", d.toString()));
        }
        InteractTest.sameAsFreeBsd(devices, List.of("beastie_disable=YES"), keys, "Hit [Enter]", false,
                DeviceCommandsTest::withoutHashOrderedMisses);
    }

    /**
     * InteractTest's screen without the misses of /boot/entropy and /etc/hostid: they are loader.conf modules,
     * which the Lua loader loads in its hash order (the oracle's README), so they come before or after the
     * pool's linux64 chain.
     */
    private static String withoutHashOrderedMisses(String screen) {
        return screen.replaceAll("can't find '/(boot/entropy|etc/hostid)'\\r?\\n", "");
    }
}
