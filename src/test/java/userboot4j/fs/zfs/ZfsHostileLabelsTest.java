package userboot4j.fs.zfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
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
        ByteOrder order = VdevLabel.eckOrder(java.util.Arrays.copyOfRange(label, PHYS, PHYS + PHYS_SIZE));
        Forge.signEck(label, PHYS, PHYS_SIZE, order, PHYS);
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

    /** An XDR nvlist: the header, version 0, flags 1 (unique names), {@code pairs}, the end mark. */
    static byte[] nvlist(byte[]... pairs) {
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + java.util.Arrays.stream(pairs).mapToInt(p -> p.length).sum() + 8);
        b.put(new byte[] {NvList.ENCODE_XDR, 1, 0, 0}).putInt(0).putInt(1);
        for (byte[] p : pairs) {
            b.put(p);
        }
        return b.putInt(0).putInt(0).array();
    }

    /** One pair; its encoded size is the true one plus {@code lie}. */
    static byte[] pair(String name, int type, int n, byte[] value, int lie) {
        byte[] nm = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int size = 8 + 4 + ((nm.length + 3) & ~3) + 8 + value.length;
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(size + lie).putInt(size).putInt(nm.length).put(nm).position(12 + ((nm.length + 3) & ~3));
        return b.putInt(type).putInt(n).put(value).array();
    }

    /** The nvlist without its 4-byte header, as a nested list's value. */
    static byte[] nested(byte[]... pairs) {
        return java.util.Arrays.copyOfRange(nvlist(pairs), 4, nvlist(pairs).length);
    }

    @Test
    void nvlistsWithLyingLengths() throws Exception {
        byte[] u64 = ByteBuffer.allocate(8).putLong(42).array();
        assertThat(NvList.unpack(nvlist(pair("outer", NvList.NVLIST, 1,
                nested(pair("inner", NvList.UINT64, 1, u64, 0)), 0)), "honest").list("outer").number("inner"))
                .isEqualTo(42);
        // a pair whose encoded size ends inside its nested list: the next pair would start in the middle
        assertThatThrownBy(() -> NvList.unpack(nvlist(pair("outer", NvList.NVLIST, 1,
                nested(pair("inner", NvList.UINT64, 1, u64, 0)), -16)), "short pair"))
                .isInstanceOf(BootException.InvalidFormat.class)
                .hasMessage("short pair: nvlist at offset 12: pair 'outer' runs past its encoded size 64");
        assertThatThrownBy(() -> NvList.unpack(nvlist(pair("s", NvList.STRING, 1,
                ByteBuffer.allocate(8).putInt(0x7ffffff0).array(), 0)), "long string"))
                .isInstanceOf(BootException.InvalidFormat.class)
                .hasMessageMatching("long string: nvlist at offset \\d+: needs 2147483632 bytes, \\d+ are left");
        assertThatThrownBy(() -> NvList.unpack(nvlist(pair("a", NvList.UINT64_ARRAY, 1 << 28, u64, 0)),
                "many elements")).isInstanceOf(BootException.InvalidFormat.class)
                .hasMessage("many elements: nvlist at offset 12: pair 'a' claims 268435456 elements");
        assertThatThrownBy(() -> NvList.unpack(nvlist(pair("l", NvList.NVLIST_ARRAY, 30, nested(), 0)),
                "many lists")).isInstanceOf(BootException.InvalidFormat.class)
                .hasMessageMatching("many lists: nvlist at offset \\d+: needs 4 bytes, 0 are left");
    }

    /**
     * A label (re-signed) naming another pool with a newer txg, whose last pair lies about its size: decoded
     * leniently it would win; refused, the pool comes from the intact copies.
     */
    @Test
    void labelWithALyingPairIsPassedOver() throws Exception {
        Path img = ZfsPoolDiscoveryTest.unpack("openzfs-blockfiles", "zfs-pool-v3mirror1.dat.bz2");
        try (DiskImage d = DiskImage.open(img, 0)) {
            byte[] label = new byte[LABEL];
            d.read(0, label, 0, LABEL);
            byte[] big = ByteBuffer.allocate(8).putLong(1L << 40).array();
            byte[] hostile = nvlist(pair("name", NvList.STRING, 1, ByteBuffer.allocate(8).putInt(4).put("evil"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)).array(), 0),
                    pair("pool_guid", NvList.UINT64, 1, big, 0), pair("txg", NvList.UINT64, 1, big, 0),
                    pair("vdev_tree", NvList.NVLIST, 1, nested(pair("id", NvList.UINT64, 1, new byte[8], 0)), -12));
            System.arraycopy(hostile, 0, label, PHYS, hostile.length);
            sign(label);
            List<ZfsPools.Pool> pools = ZfsPools.discover(List.of(new Overlay(d, 0, label)));
            assertThat(pools).hasSize(1);
            assertThat(pools.get(0).name()).isEqualTo("pool-v3mirror");
        }
    }
}
