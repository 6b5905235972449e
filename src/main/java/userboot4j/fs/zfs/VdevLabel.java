package userboot4j.fs.zfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import userboot4j.BootException;
import userboot4j.disk.Volume;

/**
 * One device's ZFS labels (OpenZFS vdev_impl.h): four 256 KiB labels, two at the front and two at the end,
 * each with the pool configuration (an XDR nvlist in the 112 KiB vdev_phys) and a ring of uberblocks, both
 * protected by an embedded SHA-256 checksum whose verifier is the block's offset on the device. The label
 * with the highest config txg gives the configuration; the valid uberblock with the highest txg (then
 * timestamp) wins.
 */
public record VdevLabel(Volume device, NvList config, Uberblock uberblock) {
    static final int LABEL_SIZE = 256 << 10;
    static final int PHYS_OFFSET = 16 << 10;
    static final int PHYS_SIZE = 112 << 10;
    static final int RING_OFFSET = 128 << 10;
    static final int RING_SIZE = 128 << 10;
    static final long MIN_DEVICE = 64L << 20;
    static final long ECK_MAGIC = 0x0210da7ab10c7a11L;
    static final int ECK_SIZE = 40;

    /** An uberblock (uberblock_impl.h): version, txg, guid sum, timestamp and the root block pointer. */
    public record Uberblock(long version, long txg, long guidSum, long timestamp, Blkptr rootbp, long offset) {
        static final long MAGIC = 0x00bab10cL;
    }

    /** The boot-environment block of each label (vl_be), after its 8 KiB of padding. */
    static final int BOOTENV_OFFSET = 8 << 10;
    static final int BOOTENV_SIZE = 8 << 10;
    static final long VB_RAW = 0;
    static final long VB_NVLIST = 1;
    static final String FREEBSD_BOOTONCE = "freebsd:bootonce";

    /**
     * The one-time boot device written into the labels' boot-environment blocks (zfsbootcfg, {@code bectl
     * activate -t}), as vdev_read_bootenv finds it: the first label whose block checksums decides; its
     * version word (big-endian) says raw text (no bootonce), an nvlist with {@code freebsd:bootonce}, or, for
     * any other value, the legacy form where the whole block is the device name — read, as FreeBSD 13.2's
     * loader reads it, after it has turned the version word to host order in place, so that on amd64 the
     * name's first eight bytes come reversed. Empty when there is none; null when no label's block
     * checksums.
     */
    public static String bootonce(Volume v) throws BootException {
        long psize = v.size() & ~(long) (LABEL_SIZE - 1);
        for (int l = 0; l < 4 && psize >= MIN_DEVICE; l++) {
            long at = (l < 2 ? (long) l * LABEL_SIZE : psize - 4L * LABEL_SIZE + (long) l * LABEL_SIZE)
                    + BOOTENV_OFFSET;
            byte[] be = v.read(at, BOOTENV_SIZE).array();
            if (!verify(be, at)) {
                continue;
            }
            long version = java.nio.ByteBuffer.wrap(be).getLong(0);
            if (version == VB_RAW) {
                return "";
            }
            if (version == VB_NVLIST) {
                String s = NvList.unpack(java.util.Arrays.copyOfRange(be, 8, BOOTENV_SIZE - ECK_SIZE),
                        String.format("%s: ZFS boot environment block at offset 0x%x", v.name(), at))
                        .string(FREEBSD_BOOTONCE);
                return s == null ? "" : s;
            }
            for (int i = 0; i < 4; i++) {
                byte t = be[i];
                be[i] = be[7 - i];
                be[7 - i] = t;
            }
            int n = 0;
            while (n < BOOTENV_SIZE && be[n] != 0 && !Character.isISOControl(be[n] & 0xff)) {
                n++;
            }
            return n < BOOTENV_SIZE && be[n] == 0 ? new String(be, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1)
                    : "";
        }
        return null;
    }

    /** The labels of {@code v}, or null when it has no valid ZFS label. */
    public static VdevLabel read(Volume v) throws BootException {
        long psize = v.size() & ~(long) (LABEL_SIZE - 1);
        if (psize < MIN_DEVICE) {
            return null;
        }
        NvList best = null;
        long bestTxg = -1;
        Uberblock ub = null;
        for (int l = 0; l < 4; l++) {
            long base = l < 2 ? (long) l * LABEL_SIZE : psize - 4L * LABEL_SIZE + (long) l * LABEL_SIZE;
            byte[] phys = v.read(base + PHYS_OFFSET, PHYS_SIZE).array();
            if (!verify(phys, base + PHYS_OFFSET)) {
                continue;
            }
            NvList config;
            try {
                config = NvList.unpack(java.util.Arrays.copyOf(phys, PHYS_SIZE - ECK_SIZE),
                        String.format("%s: ZFS label %d at offset 0x%x", v.name(), l, base));
            } catch (BootException.InvalidFormat e) {
                continue;
            }
            Long txg = config.number("txg");
            if (txg == null || config.number("pool_guid") == null || config.string("name") == null) {
                continue; // a spare or cache device's label: no pool to import from it
            }
            if (txg > bestTxg) {
                best = config;
                bestTxg = txg;
            }
            ub = better(ub, uberblocks(v, base, ringSlot(config)));
        }
        return best == null ? null : new VdevLabel(v, best, ub);
    }

    /** The size of an uberblock's slot in the ring: the vdev's sector, at least 1 KiB, at most 8 KiB. */
    static int ringSlot(NvList config) {
        NvList tree = config.list("vdev_tree");
        Long a = tree == null ? null : tree.number("ashift");
        return 1 << Math.min(Math.max(a == null ? 9 : a, 10), 13);
    }

    private static Uberblock uberblocks(Volume v, long base, int slot) throws BootException {
        byte[] ring = v.read(base + RING_OFFSET, RING_SIZE).array();
        Uberblock best = null;
        for (int i = 0; i < RING_SIZE / slot; i++) {
            byte[] s = java.util.Arrays.copyOfRange(ring, i * slot, (i + 1) * slot);
            long at = base + RING_OFFSET + (long) i * slot;
            ByteBuffer b = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN);
            if (b.getLong(0) == Long.reverseBytes(Uberblock.MAGIC)) {
                b.order(ByteOrder.BIG_ENDIAN);
            }
            if (b.getLong(0) != Uberblock.MAGIC || !verify(s, at)) {
                continue;
            }
            long version = b.getLong(8);
            if (!((version >= 1 && version <= 28) || version == 5000)) {
                continue;
            }
            Blkptr bp = Blkptr.decode(s, 40, b.order(), String.format("%s: uberblock at 0x%x", v.name(), at));
            best = better(best, new Uberblock(version, b.getLong(16), b.getLong(24), b.getLong(32), bp, at));
        }
        return best;
    }

    private static Uberblock better(Uberblock a, Uberblock b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        if (a.txg() != b.txg()) {
            return a.txg() > b.txg() ? a : b;
        }
        return b.timestamp() > a.timestamp() ? b : a;
    }

    /**
     * The embedded SHA-256 check (zio_eck_t) of a label block or gang header: with the verifier (for a
     * label the block's device offset; missing words are zero) in place of the stored checksum, written in
     * the block's byte order, the SHA-256 of the whole block must equal the stored one.
     */
    static boolean verify(byte[] block, long... verifier) {
        ByteOrder order = eckOrder(block);
        if (order == null) {
            return false;
        }
        int eck = block.length - ECK_SIZE;
        ByteBuffer b = ByteBuffer.wrap(block).order(order);
        long[] stored = new long[4];
        for (int i = 0; i < 4; i++) {
            stored[i] = b.getLong(eck + 8 + 8 * i);
        }
        byte[] copy = block.clone();
        ByteBuffer c = ByteBuffer.wrap(copy).order(order);
        for (int i = 0; i < 4; i++) {
            c.putLong(eck + 8 + 8 * i, i < verifier.length ? verifier[i] : 0);
        }
        return java.util.Arrays.equals(ZioChecksum.digest("SHA-256", copy, ByteOrder.BIG_ENDIAN), stored);
    }

    /** The byte order the block's embedded-checksum tail was written in, or null when it has none. */
    static ByteOrder eckOrder(byte[] block) {
        if (block.length < ECK_SIZE) {
            return null;
        }
        long magic = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).getLong(block.length - ECK_SIZE);
        return magic == ECK_MAGIC ? ByteOrder.LITTLE_ENDIAN
                : magic == Long.reverseBytes(ECK_MAGIC) ? ByteOrder.BIG_ENDIAN : null;
    }

    public String poolName() {
        return config.string("name");
    }

    public long poolGuid() {
        return config.number("pool_guid");
    }

    /** This device's own vdev guid. */
    public long guid() {
        Long g = config.number("guid");
        return g == null ? 0 : g;
    }
}
