package userboot4j.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device names parsed and formatted as the loader's devparse does, with the errno it gives for a bad one
 * (the words FreeBSD 13.2's loader printed for {@code set currdev=…} at its prompt).
 */
class DevicesTest {
    @TempDir
    Path dir;

    private Devices devices() throws Exception {
        Files.writeString(dir.resolve("x"), "x");
        return Devices.open(List.of(), dir);
    }

    @Test
    void namesRoundTrip() throws Exception {
        try (Devices d = devices()) {
            for (String n : List.of("disk0:", "disk0p2:", "disk0s1:", "disk0s1a:", "disk3a:", "disk12p128:", "host0:",
                    "disk0x:", "disk0s1z:")) {
                assertThat(d.parse(n).device()).hasToString(n);
            }
            assertThat(d.parse("host0").device()).hasToString("host0:");
            Devsw.Parsed p = d.parse("disk0p2:/boot/kernel");
            assertThat(p.device()).hasToString("disk0p2:");
            assertThat(p.path()).isEqualTo("/boot/kernel");
        }
    }

    @Test
    void badNamesGiveTheLoadersErrno() throws Exception {
        try (Devices d = devices()) {
            assertErrno(d, "bogus", "no such file or directory");
            assertErrno(d, "disk:", "invalid argument");
            assertErrno(d, "diskx", "bad unit number");
            assertErrno(d, "disk0p:", "bad slice number");
            assertErrno(d, "disk0p2a:", "invalid argument");
            assertErrno(d, "zfs:nope", "invalid argument");
            assertErrno(d, "zfs:nope:", "device not configured");
        }
    }

    private static void assertErrno(Devices d, String name, String errno) {
        assertThatThrownBy(() -> d.parse(name)).isInstanceOfSatisfying(DeviceException.class,
                e -> assertThat(e.strerror()).isEqualTo(errno));
    }

    @Test
    void pathsWithoutDeviceReadCurrdevAndDevicePathsTheirDevice() throws Exception {
        try (Devices d = devices()) {
            Devopen files = new Devopen(d, () -> "host0:");
            assertThat(files.readdir("/")).extracting(e -> e.name()).containsExactly("x");
            assertThat(files.readdir("host0:/")).extracting(e -> e.name()).containsExactly("x");
            assertThat(files.readdir("host0:")).extracting(e -> e.name()).containsExactly("x");
            assertThatThrownBy(() -> files.readdir("disk0:/")).isInstanceOfSatisfying(DeviceException.class,
                    e -> assertThat(e.strerror()).isEqualTo("input/output error"));
        }
    }
}
