package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import userboot4j.BootException;
import userboot4j.disk.DiskImage;
import userboot4j.disk.Volume;

/**
 * Labels damaged on purpose, then re-signed so that they pass the embedded checksum and reach the nvlist
 * decoder: whatever the bytes say, discovery ends normally or in a BootException, within bounded time and
 * memory; and while one good copy of the label is left, the pool is still found from it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ZfsHostileLabelsTest {
    static final int LABEL = 256 << 10;
    static final int PHYS = 16 << 10;
    static final int PHYS_SIZE = 112 << 10;

    /** Stores the SHA-256 of the phys block, taken with its offset as verifier, where the label keeps it. */
    static void sign(byte[] label) throws Exception {
        int eck = PHYS + PHYS_SIZE - 40;
        ByteBuffer b = ByteBuffer.wrap(label).order(ByteOrder.BIG_ENDIAN);
        if (b.getLong(eck) != VdevLabel.ECK_MAGIC) {
            b.order(ByteOrder.LITTLE_ENDIAN);
        }
        b.putLong(eck + 8, PHYS).putLong(eck + 16, 0).putLong(eck + 24, 0).putLong(eck + 32, 0);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOfRange(label, PHYS,
                PHYS + PHYS_SIZE));
        ByteBuffer d = ByteBuffer.wrap(digest).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < 4; i++) {
            b.putLong(eck + 8 + 8 * i, d.getLong(8 * i));
        }
    }

    @Test
    void damagedNvlistsNeverEscapeAsRuntimeErrors() throws Exception {
        for (String disk : List.of("zfs-pool-v3mirror1.dat.bz2", "zfs-pool-v1raidz1.dat.bz2")) {
            Path img = ZfsPoolDiscoveryTest.unpack("openzfs-blockfiles", disk);
            try (DiskImage d = DiskImage.open(img, 0)) {
                byte[] good = new byte[LABEL];
                d.read(0, good, 0, LABEL);
                assertThat(VdevLabel.verify(java.util.Arrays.copyOfRange(good, PHYS, PHYS + PHYS_SIZE), PHYS))
                        .as("the label as the fixture has it").isTrue();
                String name = ZfsPools.discover(List.of(d)).get(0).name();
                Random r = new Random(disk.hashCode());
                int rejected = 0;
                for (int round = 0; round < 400; round++) {
                    byte[] bad = good.clone();
                    int hits = 1 + r.nextInt(4);
                    for (int h = 0; h < hits; h++) {
                        // the nvlist sits in the first few KiB of the phys block: damage lands there
                        int at = PHYS + r.nextInt(4096);
                        switch (r.nextInt(3)) {
                            case 0 -> bad[at] = (byte) r.nextInt();
                            case 1 -> ByteBuffer.wrap(bad).putInt(at & ~3, 0x7fffffff);
                            default -> ByteBuffer.wrap(bad).putInt(at & ~3, -1);
                        }
                    }
                    sign(bad);
                    Volume v = new Overlay(d, 0, bad);
                    boolean decoded = true;
                    try {
                        NvList.unpack(java.util.Arrays.copyOfRange(bad, PHYS, PHYS + PHYS_SIZE - 40), "round " + round);
                    } catch (BootException e) {
                        decoded = false;
                        rejected++;
                        assertThat(e.getMessage()).startsWith("round " + round + ": ");
                    }
                    List<ZfsPools.Pool> pools = ZfsPools.discover(List.of(v));
                    assertThat(pools).as("round %d: labels 1-3 are intact", round).hasSize(1);
                    if (!decoded) {
                        // a label that decodes may say anything (a re-signed label is as good as a real
                        // one); one that does not is passed over for the intact copies
                        assertThat(pools.get(0).name()).as("round %d", round).isEqualTo(name);
                    }
                }
                assertThat(rejected).as("damage the decoder noticed").isGreaterThan(100);
            }
        }
    }
}
