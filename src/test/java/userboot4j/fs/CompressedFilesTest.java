package userboot4j.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import userboot4j.fs.host.HostFileSystem;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;

/** gzipfs and bzipfs: a file compressed by gzip(1) and bzip2(1) reads back as its original bytes at any offset, in any order. */
class CompressedFilesTest {
    @Test
    void readsGoingBackwardsGetTheOriginalBytes(@TempDir Path dir) throws Exception {
        byte[] original = Files.readAllBytes(Trees.probe().resolve("boot/kernel/kernel"));
        for (String tool : List.of("gzip", "bzip2")) {
            Require.tool(tool);
            Path f = dir.resolve("kernel");
            Files.write(f, original);
            Processes.run(List.of(tool, "-f", f.toString()), null);
            try (CompressedFiles fs = new CompressedFiles(HostFileSystem.open(dir)); FileData d = fs.open("/kernel")) {
                assertThat(d.size()).isEqualTo(original.length);
                // the end first, then back to the start, then the middle: every read a backwards seek
                for (int pos : new int[] {original.length - 100, 0, original.length / 2, 64, original.length - 1}) {
                    byte[] got = new byte[Math.min(4096, original.length - pos)];
                    assertThat(d.read(pos, got, 0, got.length)).isEqualTo(got.length);
                    assertThat(got).as("%s at %d", tool, pos).isEqualTo(Arrays.copyOfRange(original, pos, pos + got.length));
                }
            }
            Files.deleteIfExists(dir.resolve("kernel.gz"));
            Files.deleteIfExists(dir.resolve("kernel.bz2"));
        }
    }
}
