package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import userboot4j.testsupport.Require;

/**
 * BLAKE3 against the BLAKE3 team's test vectors (test_vectors/test_vectors.json of BLAKE3-team/BLAKE3: the
 * first 32 bytes of each case's hash and keyed_hash) and against Debian's b3sum.
 */
class Blake3Test {
    static final byte[] KEY = "whats the Elvish word for friend".getBytes(StandardCharsets.US_ASCII);

    /** input_len, hash, keyed_hash: the lengths cover one block, one chunk, and trees of 2 to 100 chunks. */
    static final String[][] VECTORS = {
        {"0", "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
            "92b2b75604ed3c761f9d6f62392c8a9227ad0ea3f09573e783f1498a4ed60d26"},
        {"1", "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213",
            "6d7878dfff2f485635d39013278ae14f1454b8c0a3a2d34bc1ab38228a80c95b"},
        {"1023", "10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11",
            "c951ecdf03288d0fcc96ee3413563d8a6d3589547f2c2fb36d9786470f1b9d6e"},
        {"1024", "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7",
            "75c46f6f3d9eb4f55ecaaee480db732e6c2105546f1e675003687c31719c7ba4"},
        {"1025", "d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444",
            "357dc55de0c7e382c900fd6e320acc04146be01db6a8ce7210b7189bd664ea69"},
        {"2048", "e776b6028c7cd22a4d0ba182a8bf62205d2ef576467e838ed6f2529b85fba24a",
            "879cf1fa2ea0e79126cb1063617a05b6ad9d0b696d0d757cf053439f60a99dd1"},
        {"3073", "7124b49501012f81cc7f11ca069ec9226cecb8a2c850cfe644e327d22d3e1cd3",
            "68dede9bef00ba89e43f31a6825f4cf433389fedae75c04ee9f0cf16a427c95a"},
        {"8193", "bab6c09cb8ce8cf459261398d2e7aef35700bf488116ceb94a36d0f5f1b7bc3b",
            "954a2a75420c8d6547e3ba5b98d963e6fa6491addc8c023189cc519821b4a1f5"},
        {"16384", "f875d6646de28985646f34ee13be9a576fd515f76b5b0a26bb324735041ddde4",
            "9e9fc4eb7cf081ea7c47d1807790ed211bfec56aa25bb7037784c13c4b707b0d"},
        {"31744", "62b6960e1a44bcc1eb1a611a8d6235b6b4b78f32e7abc4fb4c6cdcce94895c47",
            "efa53b389ab67c593dba624d898d0f7353ab99e4ac9d42302ee64cbf9939a419"},
        {"102400", "bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085",
            "1c35d1a5811083fd7119f5d5d1ba027b4d01c0c6c49fb6ff2cf75393ea5db4a7"},
    };

    /** The vectors' input: the bytes 0, 1, …, 250 over and over. */
    static byte[] input(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    @Test
    void matchesTheOfficialTestVectors() {
        for (String[] v : VECTORS) {
            byte[] in = input(Integer.parseInt(v[0]));
            assertThat(HexFormat.of().formatHex(Blake3.hash(in))).as("hash of %s bytes", v[0]).isEqualTo(v[1]);
            assertThat(HexFormat.of().formatHex(Blake3.keyed(KEY, in))).as("keyed_hash of %s bytes", v[0])
                    .isEqualTo(v[2]);
        }
    }

    /** Random lengths and keys, up to a ZFS block of 1 MiB, against b3sum and b3sum --keyed. */
    @Test
    void matchesB3sum(@TempDir Path dir) throws Exception {
        Require.tool("b3sum");
        Random r = new Random(3);
        for (int length : new int[] {63, 64, 65, 4095, 131072, 1 << 20, 5 * 1024 + 77 + r.nextInt(100000)}) {
            byte[] data = new byte[length];
            r.nextBytes(data);
            byte[] key = new byte[32];
            r.nextBytes(key);
            Path f = dir.resolve("data");
            Files.write(f, data);
            assertThat(HexFormat.of().formatHex(Blake3.hash(data))).as("%d bytes", length)
                    .isEqualTo(b3sum(null, f));
            assertThat(HexFormat.of().formatHex(Blake3.keyed(key, data))).as("%d bytes, keyed", length)
                    .isEqualTo(b3sum(key, f));
        }
    }

    private static String b3sum(byte[] key, Path file) throws Exception {
        ProcessBuilder pb = key == null ? new ProcessBuilder("b3sum", "--no-names", file.toString())
                : new ProcessBuilder("b3sum", "--keyed", "--no-names", file.toString());
        Process p = pb.redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            if (key != null) {
                in.write(key);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor()).isZero();
        return out.toString(StandardCharsets.US_ASCII).trim();
    }
}
