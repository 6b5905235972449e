package userboot4j.fs.ufs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import userboot4j.disk.DiskImage;
import userboot4j.fs.FileData;
import userboot4j.testsupport.Images;
import userboot4j.testsupport.Trees;

/**
 * Every block-pointer level of UFS2: with 4 KiB blocks (512 pointers per indirect block), direct blocks end
 * at 48 KiB, single indirect at 2 MiB + 48 KiB and double indirect at 1 GiB + 2 MiB + 48 KiB, so a 1100 MiB
 * file made by Debian's makefs reaches triple indirection. Its bytes, and reads at each level's edges, are
 * the source's.
 */
class UfsLargeFileTest {
    static final int MIB = 1 << 20;
    static final int SIZE_MIB = 1100;

    /** The same 1 MiB pattern, rotated by the MiB's number, so that a misplaced block shows. */
    static byte[] chunk(byte[] base, int i) {
        byte[] out = new byte[MIB];
        int r = (i * 4099) % MIB;
        System.arraycopy(base, r, out, 0, MIB - r);
        System.arraycopy(base, 0, out, MIB - r, r);
        return out;
    }

    @Test
    void tripleIndirectFile() throws Exception {
        Path dir = Trees.target().resolve("ufs-large");
        Trees.delete(dir);
        Files.createDirectories(dir.resolve("tree"));
        byte[] base = new byte[MIB];
        new Random(11).nextBytes(base);
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(dir.resolve("tree/huge.bin"))) {
            for (int i = 0; i < SIZE_MIB; i++) {
                byte[] c = chunk(base, i);
                out.write(c);
                expected.update(c);
            }
        }
        Path img = Images.ufs(dir.resolve("tree"), 2, dir.resolve("ufs2.img"), "-o", "bsize=4096,fsize=512",
                "-s", (SIZE_MIB + 100) + "m");
        Files.delete(dir.resolve("tree/huge.bin"));
        try (DiskImage d = DiskImage.open(img, 0); FileData f = UfsFileSystem.probe(d).open("/huge.bin")) {
            assertThat(f.size()).isEqualTo((long) SIZE_MIB * MIB);
            long single = 12L * 4096;
            long dbl = single + 512L * 4096;
            long triple = dbl + 512L * 512 * 4096;
            for (long at : new long[] {single - 10, dbl - 10, triple - 10, triple + 12345, f.size() - 20}) {
                byte[] got = new byte[20];
                f.read(at, got, 0, 20);
                byte[] want = new byte[20];
                for (int k = 0; k < 20; k++) {
                    long p = at + k;
                    want[k] = chunk(base, (int) (p / MIB))[(int) (p % MIB)];
                }
                assertThat(got).as("bytes at %d", at).isEqualTo(want);
            }
            MessageDigest ours = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[8 * MIB];
            for (long pos = 0; pos < f.size(); pos += buf.length) {
                int n = f.read(pos, buf, 0, buf.length);
                ours.update(buf, 0, n);
            }
            assertThat(ours.digest()).isEqualTo(expected.digest());
        } finally {
            Files.deleteIfExists(img);
        }
    }
}
