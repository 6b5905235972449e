package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import userboot4j.BootException;

/**
 * Decoders fed random and hostile input (a block's physical bytes come from the guest's disk): each
 * either returns a block of exactly the logical size or fails with a message naming the block; never an
 * index error, a hang or a larger allocation. Correct output on real blocks is ZfsBlockReadTest's part.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZioCompressTest {
    @Test
    void randomInputNeverEscapes() {
        Random r = new Random(6);
        int failed = 0;
        for (int round = 0; round < 20000; round++) {
            int type = new int[] {ZioCompress.LZJB, ZioCompress.LZ4, ZioCompress.ZLE, ZioCompress.GZIP_1,
                    ZioCompress.OFF}[round % 5];
            byte[] src = new byte[r.nextInt(600)];
            r.nextBytes(src);
            if (type == ZioCompress.LZ4 && src.length >= 4 && r.nextBoolean()) {
                // a plausible length header, so that the sequences themselves are decoded
                java.nio.ByteBuffer.wrap(src).putInt(0, src.length - 4);
            }
            int lsize = 512 * (1 + r.nextInt(4));
            try {
                assertThat(ZioCompress.decompress(type, src, lsize, "round " + round)).hasSize(lsize);
            } catch (BootException e) {
                failed++;
                assertThat(e.getMessage()).startsWith("round " + round + ": ");
            }
        }
        assertThat(failed).as("random input the decoders refused").isGreaterThan(1000);
    }

    @Test
    void backReferencesBeforeTheBlockAreRefused() {
        // LZJB: map byte with the first item a match 5 bytes back, at output position 0
        assertThat(ZioCompress.lzjb(new byte[] {1, 0, 5}, new byte[16])).isFalse();
        // LZ4: one literal, then a match 2 bytes back
        assertThat(ZioCompress.lz4(new byte[] {0, 0, 0, 4, 0x10, 'x', 2, 0}, new byte[16])).isFalse();
        // LZ4: a length header larger than the block
        assertThat(ZioCompress.lz4(new byte[] {0x7f, 0, 0, 0, 0}, new byte[16])).isFalse();
        // ZLE: literals past the end of the output
        assertThat(ZioCompress.zle(new byte[] {63, 1, 2}, new byte[16])).isFalse();
    }
}
