package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import userboot4j.BootException;
import userboot4j.disk.Volume;

/**
 * Gang headers as FreeBSD 15.1's loader reads them (zio_read_gang): as large as the sector of the vdev the
 * gang block is on, falling back to 512 bytes. No tool at hand writes dynamic gang headers (OpenZFS 2.4),
 * so a real data block of OpenZFS 2.1's ozlz4 (ashift 12) is ganged by hand: its bytes split among four
 * member blocks, which only a 4 KiB header holds (a 512-byte one has room for three), the block pointer
 * keeping the block's own checksum; and among three members under a 512-byte header, as older pools have.
 */
class ZfsDynamicGangTest {
    static final String DATASET = "ozlz4/ROOT/default";
    static final String FILE = "/data/random-600k.bin";
    /** Where the hand-made headers and members go, inside the disk's allocatable space. */
    static final long SPARE = 100L << 20;

    /** The pool's data block 0 of {@link #FILE}: its pointer and its contents, read as stored. */
    record Original(Blkptr bp, byte[] data) {
    }

    static Original original(Spa spa) throws BootException {
        Dsl dsl = new Dsl(spa);
        DnodePhys dn = new Zpl(dsl, DATASET).lookup(FILE).dnode();
        List<Dmu.Step> path = dsl.dmu().path(dn, 0, FILE);
        Blkptr bp = path.get(path.size() - 1).bp();
        return new Original(bp, spa.read(bp, FILE));
    }

    /**
     * A gang header of {@code headerSize} bytes at {@link #SPARE} for {@code bp}, its physical bytes
     * {@code phys} split among {@code members} blocks right after the header; the disk patched with them,
     * and the gang block pointer.
     */
    record Ganged(Volume disk, Blkptr bp) {
    }

    static Ganged gang(Volume disk, Blkptr bp, byte[] phys, int headerSize, int members) {
        byte[] region = new byte[headerSize + phys.length];
        int sectors = phys.length / 512;
        Blkptr.Dva none = new Blkptr.Dva(0, 0, 0, false);
        for (int i = 0, at = 0; i < members; i++) {
            int size = 512 * (sectors / members + (i < sectors % members ? 1 : 0));
            byte[] part = java.util.Arrays.copyOfRange(phys, at, at + size);
            long[] cksum = checksum(part);
            Blkptr m = bp.with(new Blkptr.Dva[] {new Blkptr.Dva(0, SPARE + headerSize + at, size, false), none, none},
                    size, size, ZioCompress.OFF, ZioChecksum.FLETCHER_4, cksum);
            System.arraycopy(Forge.encode(m), 0, region, i * Blkptr.SIZE, Blkptr.SIZE);
            System.arraycopy(part, 0, region, headerSize + at, size);
            at += size;
        }
        Blkptr gang = bp.with(new Blkptr.Dva[] {new Blkptr.Dva(0, SPARE, headerSize, true), none, none}, bp.lsize(),
                bp.psize(), bp.compress(), bp.checksum(), bp.cksum());
        Forge.signEck(region, 0, headerSize, ByteOrder.LITTLE_ENDIAN, 0, SPARE, gang.physicalBirth());
        return new Ganged(new Overlay(disk, Spa.LABEL_START + SPARE, region), gang);
    }

    static long[] checksum(byte[] data) {
        try {
            return ZioChecksum.compute(ZioChecksum.FLETCHER_4, data, ByteOrder.LITTLE_ENDIAN, null, "member");
        } catch (BootException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What {@code release}'s loader reads for the gang block pointer on the patched disk. */
    static byte[] read(Ganged g, FeaturesForRead release) throws BootException {
        return new Spa(ZfsPools.discover(List.of(g.disk())).get(0), release).read(g.bp(), "hand-made");
    }

    @Test
    void fourKibHeaderOnAnAshift12VdevIsReadBy15Only() throws Exception {
        try (PoolDisks pd = PoolDisks.open("openzfs-modern", PoolDisks.pool("openzfs-modern", "ozlz4"))) {
            Volume disk = pd.volumes().get(0);
            ZfsPools.Pool pool = ZfsPools.discover(List.of(disk)).get(0);
            assertThat(pool.topLevel().get(0L).number("ashift")).isEqualTo(12L);
            Original o = original(new Spa(pool));
            assertThat(o.bp().compress()).as("random data is stored uncompressed").isEqualTo(ZioCompress.OFF);
            Ganged g = gang(disk, o.bp(), o.data(), 4096, 4);
            assertThat(read(g, FeaturesForRead.FREEBSD_15)).isEqualTo(o.data());
            for (FeaturesForRead older : List.of(FeaturesForRead.FREEBSD_13, FeaturesForRead.FREEBSD_14)) {
                assertThatThrownBy(() -> read(g, older)).as(older.release())
                        .isInstanceOf(BootException.InvalidFormat.class)
                        .hasMessageMatching("hand-made \\(disk0 offset 0x[0-9a-f]+\\): gang header checksum mismatch");
            }
        }
    }

    @Test
    void legacyHeaderIsReadByEveryRelease() throws Exception {
        try (PoolDisks pd = PoolDisks.open("openzfs-modern", PoolDisks.pool("openzfs-modern", "ozlz4"))) {
            Volume disk = pd.volumes().get(0);
            Original o = original(new Spa(ZfsPools.discover(List.of(disk)).get(0)));
            Ganged g = gang(disk, o.bp(), o.data(), Spa.GANG_HEADER_SIZE, Spa.GBH_NBLKPTRS);
            List<byte[]> read = new ArrayList<>();
            for (FeaturesForRead release : FeaturesForRead.values()) {
                read.add(read(g, release));
            }
            assertThat(read).allSatisfy(data -> assertThat(data).isEqualTo(o.data()));
        }
    }
}
