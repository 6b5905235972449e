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
}
