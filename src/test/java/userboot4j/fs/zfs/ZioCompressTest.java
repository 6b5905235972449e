package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import userboot4j.BootException;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;

/**
 * Decoders fed random and hostile input (a block's physical bytes come from the guest's disk): each
 * either returns a block of exactly the logical size or fails with a message naming the block; never an
 * index error, a hang or a larger allocation. Correct output on real blocks is ZfsBlockReadTest's and
 * ZfsFileReadTest's part; here a frame made by the zstd command-line tool, in ZFS's header, decodes to
 * its input, and lying headers, cut or changed frames are refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZioCompressTest {
    @Test
    void randomInputNeverEscapes() {
        Random r = new Random(6);
        int failed = 0;
        for (int round = 0; round < 20000; round++) {
            int type = new int[] {ZioCompress.LZJB, ZioCompress.LZ4, ZioCompress.ZLE, ZioCompress.GZIP_1,
                    ZioCompress.OFF, ZioCompress.ZSTD}[round % 6];
            byte[] src = new byte[r.nextInt(600)];
            r.nextBytes(src);
            if (type == ZioCompress.LZ4 && src.length >= 4 && r.nextBoolean()) {
                // a plausible length header, so that the sequences themselves are decoded
                ByteBuffer.wrap(src).putInt(0, src.length - 4);
            }
            if (type == ZioCompress.ZSTD && src.length >= ZioCompress.ZSTD_HDR + 2 && r.nextBoolean()) {
                // a plausible length and a frame header descriptor without dictionary, so blocks are decoded
                ByteBuffer.wrap(src).putInt(0, src.length - ZioCompress.ZSTD_HDR);
                src[ZioCompress.ZSTD_HDR] &= (byte) 0xd4;
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

    /** 128 KiB of text lines and runs of random bytes, so the frame has literals, matches and Huffman tables. */
    private static byte[] original() {
        Random r = new Random(16);
        ByteBuffer b = ByteBuffer.allocate(128 << 10);
        for (int i = 0; b.hasRemaining(); i++) {
            byte[] chunk = i % 3 == 2 ? new byte[r.nextInt(32)]
                    : ("line " + i + ": vfs.root.mountfrom=\"zfs:pool/ROOT/default\" " + r.nextInt(1000) + "\n")
                            .getBytes(StandardCharsets.US_ASCII);
            if (i % 3 == 2) {
                r.nextBytes(chunk);
            }
            b.put(chunk, 0, Math.min(chunk.length, b.remaining()));
        }
        return b.array();
    }

    /**
     * The zstd tool's frame for {@code data} as OpenZFS writes it: magic number dropped, no checksum or
     * content size, behind c_len and a version/level word (as a little-endian host writes zstd 1.4.5, level
     * 19), then 100 bytes of sector padding.
     */
    private static byte[] zfsZstdBlock(byte[] data, Path dir) throws Exception {
        Require.tool("zstd");
        Files.write(dir.resolve("in"), data);
        Processes.run(List.of("zstd", "-q", "-19", "--no-check", "--no-content-size", "-o", "out", "in"), dir);
        byte[] frame = Files.readAllBytes(dir.resolve("out"));
        assertThat(ByteBuffer.wrap(frame).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0)).isEqualTo(0xFD2FB528);
        ByteBuffer block = ByteBuffer.allocate(ZioCompress.ZSTD_HDR + frame.length - 4 + 100);
        block.putInt(frame.length - 4).putInt(0x130028a5).put(frame, 4, frame.length - 4);
        return block.array();
    }

    @Test
    void zstdToolFrameInTheZfsHeaderDecodes(@TempDir Path dir) throws Exception {
        byte[] data = original();
        byte[] block = zfsZstdBlock(data, dir);
        assertThat(block.length).as("compressed").isLessThan(data.length / 2);
        assertThat(ZioCompress.decompress(ZioCompress.ZSTD, block, data.length, "blk")).isEqualTo(data);
    }

    @Test
    void zstdLyingHeadersAndFramesAreRefused(@TempDir Path dir) throws Exception {
        byte[] data = original();
        byte[] block = zfsZstdBlock(data, dir);
        int cLen = ByteBuffer.wrap(block).getInt(0);

        byte[] longer = block.clone();
        ByteBuffer.wrap(longer).putInt(0, block.length - ZioCompress.ZSTD_HDR + 1);
        assertThatThrownBy(() -> ZioCompress.decompress(ZioCompress.ZSTD, longer, data.length, "blk"))
                .isInstanceOf(BootException.InvalidFormat.class)
                .hasMessage("blk: zstd header gives %d compressed bytes, the block holds %d after it",
                        block.length - ZioCompress.ZSTD_HDR + 1, block.length - ZioCompress.ZSTD_HDR);
        assertThatThrownBy(() -> ZioCompress.decompress(ZioCompress.ZSTD, new byte[7], data.length, "blk"))
                .isInstanceOf(BootException.InvalidFormat.class).hasMessageContaining("shorter than its 8-byte header");

        byte[] shorter = block.clone();
        ByteBuffer.wrap(shorter).putInt(0, cLen - 1);
        byte[] truncated = Arrays.copyOf(block, ZioCompress.ZSTD_HDR + cLen / 2);
        ByteBuffer.wrap(truncated).putInt(0, cLen / 2);
        for (byte[] bad : new byte[][] {shorter, truncated}) {
            assertThatThrownBy(() -> ZioCompress.decompress(ZioCompress.ZSTD, bad, data.length, "blk"))
                    .isInstanceOf(BootException.InvalidFormat.class)
                    .hasMessageStartingWith("blk: zstd frame of " + ByteBuffer.wrap(bad).getInt(0)
                            + " bytes is corrupt or longer than the 131072-byte block: ")
                    .hasNoCause();
        }

        // the frame holds more than the block's logical size, or less
        assertThatThrownBy(() -> ZioCompress.decompress(ZioCompress.ZSTD, block, data.length - 1, "blk"))
                .isInstanceOf(BootException.InvalidFormat.class)
                .hasMessageStartingWith("blk: zstd frame of " + cLen + " bytes is corrupt or longer than the "
                        + "131071-byte block: ");
        assertThatThrownBy(() -> ZioCompress.decompress(ZioCompress.ZSTD, block, data.length + 512, "blk"))
                .isInstanceOf(BootException.InvalidFormat.class)
                .hasMessage("blk: zstd frame decompresses to 131072 bytes, not the block's 131584");
    }

    @Test
    void zstdFramesWithBytesChangedNeverEscape(@TempDir Path dir) throws Exception {
        byte[] data = original();
        byte[] block = zfsZstdBlock(data, dir);
        Random r = new Random(19);
        int refused = 0;
        for (int round = 0; round < 5000; round++) {
            byte[] bad = block.clone();
            for (int k = 1 + r.nextInt(4); k > 0; k--) {
                bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
            }
            try {
                assertThat(ZioCompress.decompress(ZioCompress.ZSTD, bad, data.length, "round " + round))
                        .hasSize(data.length);
            } catch (BootException e) {
                refused++;
                assertThat(e).isInstanceOf(BootException.InvalidFormat.class);
                assertThat(e.getMessage()).startsWith("round " + round + ": zstd ").doesNotContain("\n");
            }
        }
        assertThat(refused).as("changed frames the decoder refused").isGreaterThan(2500);
    }
}
