package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import userboot4j.BootException;

/**
 * Skein blocks of OpenZFS 2.1's ozlz4 pool check only with the salt its MOS object directory holds: a
 * block read through a Spa that has not opened the directory ends in a message asking for the salt.
 */
class ZioChecksumTest {
    static final String SKEIN = "ozlz4/ROOT/default/skein";
    static final String FILE = "/random-600k.bin";

    /** The first block pointer of {@link #FILE} in the skein dataset, as the pool read through {@code spa} has it. */
    static Blkptr skeinBlock(Spa spa) throws BootException {
        Blkptr bp = new Zpl(new Dsl(spa), SKEIN).lookup(FILE).dnode().blkptr()[0];
        assertThat(bp.checksum()).isEqualTo(ZioChecksum.SKEIN);
        return bp;
    }

    @Test
    void skeinNeedsThePoolsSalt() throws Exception {
        try (PoolDisks pd = PoolDisks.open("openzfs-modern", PoolDisks.pool("openzfs-modern", "ozlz4"))) {
            ZfsPools.Pool pool = ZfsPools.discover(pd.volumes()).get(0);
            Spa salted = new Spa(pool);
            Blkptr bp = skeinBlock(salted);
            assertThat(salted.read(bp, SKEIN + FILE)).hasSize((int) bp.lsize());
            assertThatThrownBy(() -> new Spa(pool).read(bp, SKEIN + FILE))
                    .isInstanceOf(BootException.InvalidFormat.class)
                    .hasMessageMatching(SKEIN + FILE + " \\(disk0 offset 0x[0-9a-f]+\\): skein block, but the "
                            + "pool's checksum salt is not known");
        }
    }

    /** fletcher4 sums unsigned 32-bit words in the block's byte order (values worked by hand). */
    @Test
    void fletcher4TakesUnsignedWordsInTheBlocksOrder() throws Exception {
        byte[] data = {1, 0, 0, 0, 2, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        // words 1, 2, 0xffffffff: a = 1, 3, 0x100000002; b = 1, 4, 0x100000006; c = 1, 5, 0x10000000b; d = 1, 6, ...
        assertThat(ZioChecksum.compute(ZioChecksum.FLETCHER_4, data, java.nio.ByteOrder.LITTLE_ENDIAN, null, "t"))
                .containsExactly(0x100000002L, 0x100000006L, 0x10000000bL, 0x100000011L);
        // words 0x01000000, 0x02000000, 0xffffffff: a = 0x01000000, 0x03000000, 0x102ffffff; and so on
        assertThat(ZioChecksum.compute(ZioChecksum.FLETCHER_4, data, java.nio.ByteOrder.BIG_ENDIAN, null, "t"))
                .containsExactly(0x102ffffffL, 0x106ffffffL, 0x10bffffffL, 0x111ffffffL);
    }
}
