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

    /**
     * The labels of {@code v}, or null when it has no valid ZFS label. As FreeBSD's loader does, the
     * configuration comes from the label with the highest txg whose block checksums, and the uberblock from
     * all four rings, in slots of the configuration's ashift. The checksums are SHA-256 over 1.5 MiB of
     * labels and rings per device, most of a cold start's time on a pool: candidates are taken best first
     * and checked until one holds, which chooses what checking them all would.
     */
    public static VdevLabel read(Volume v) throws BootException {
        return read(v, null);
    }

    /**
     * The same; when {@code undecodable} is not null, the first label of {@code v} whose block checksums but
     * whose configuration does not decode adds why to it (FreeBSD's loader skips such a label in silence;
     * a user told "no such pool" should learn why).
     */
    public static VdevLabel read(Volume v, java.util.List<String> undecodable) throws BootException {
        long psize = v.size() & ~(long) (LABEL_SIZE - 1);
        if (psize < MIN_DEVICE) {
            return null;
        }
        long[] base = new long[4];
        java.util.List<Candidate> labels = new java.util.ArrayList<>();
        String why = null;
        for (int l = 0; l < 4; l++) {
            base[l] = l < 2 ? (long) l * LABEL_SIZE : psize - 4L * LABEL_SIZE + (long) l * LABEL_SIZE;
            byte[] phys = v.read(base[l] + PHYS_OFFSET, PHYS_SIZE).array();
            if (eckOrder(phys) == null) {
                continue;
            }
            NvList config;
            try {
                config = NvList.unpack(java.util.Arrays.copyOf(phys, PHYS_SIZE - ECK_SIZE),
                        v.name() + ": ZFS label " + l + " at offset 0x" + Long.toHexString(base[l]));
            } catch (BootException.InvalidFormat e) {
                if (why == null && undecodable != null && verify(phys, base[l] + PHYS_OFFSET)) {
                    why = e.getMessage();
                }
                continue; // most likely a damaged copy, which its checksum shows
            }
            Long txg = config.number("txg");
            if (txg == null || config.number("pool_guid") == null || config.string("name") == null) {
                continue; // a spare or cache device's label: no pool to import from it
            }
            labels.add(new Candidate(phys, base[l] + PHYS_OFFSET, txg, 0, config));
        }
        if (why != null) {
            undecodable.add(why);
        }
        Candidate best = firstValid(labels);
        if (best == null) {
            return null;
        }
        int slot = ringSlot(best.config());
        java.util.List<Candidate> uberblocks = new java.util.ArrayList<>();
        for (int l = 0; l < 4; l++) {
            uberblocks(v, base[l], slot, uberblocks);
        }
        Candidate ub = firstValid(uberblocks);
        return new VdevLabel(v, best.config(), ub == null ? null : uberblock(v, ub));
    }

    /** A label block (with its configuration) or uberblock slot whose checksum is not yet checked. */
    private record Candidate(byte[] block, long offset, long txg, long timestamp, NvList config) {
    }

    /** The best candidate (highest txg, then timestamp, then the first) whose block checksums, or null. */
    private static Candidate firstValid(java.util.List<Candidate> candidates) {
        candidates.sort(java.util.Comparator.comparingLong(Candidate::txg).thenComparingLong(Candidate::timestamp)
                .reversed());
        for (Candidate c : candidates) {
            if (verify(c.block(), c.offset())) {
                return c;
            }
        }
        return null;
    }

    /** The size of an uberblock's slot in the ring: the vdev's sector, at least 1 KiB, at most 8 KiB. */
    static int ringSlot(NvList config) {
        NvList tree = config.list("vdev_tree");
        Long a = tree == null ? null : tree.number("ashift");
        return 1 << Math.min(Math.max(a == null ? 9 : a, 10), 13);
    }

    /** Adds the slots of the ring in the label at {@code base} that hold an uberblock of a known version. */
    private static void uberblocks(Volume v, long base, int slot, java.util.List<Candidate> out) throws BootException {
        byte[] ring = v.read(base + RING_OFFSET, RING_SIZE).array();
        for (int i = 0; i < RING_SIZE / slot; i++) {
            byte[] s = java.util.Arrays.copyOfRange(ring, i * slot, (i + 1) * slot);
            ByteBuffer b = uberblockBuffer(s);
            long version = b.getLong(8);
            if (b.getLong(0) == Uberblock.MAGIC && ((version >= 1 && version <= 28) || version == 5000)) {
                out.add(new Candidate(s, base + RING_OFFSET + (long) i * slot, b.getLong(16), b.getLong(32), null));
            }
        }
    }

    /** The slot in the byte order its magic number was written in. */
    private static ByteBuffer uberblockBuffer(byte[] slot) {
        ByteBuffer b = ByteBuffer.wrap(slot).order(ByteOrder.LITTLE_ENDIAN);
        return b.getLong(0) == Long.reverseBytes(Uberblock.MAGIC) ? b.order(ByteOrder.BIG_ENDIAN) : b;
    }

    private static Uberblock uberblock(Volume v, Candidate c) throws BootException {
        ByteBuffer b = uberblockBuffer(c.block());
        Blkptr bp = Blkptr.decode(c.block(), 40, b.order(), v.name() + ": uberblock at 0x" + Long.toHexString(c.offset()));
        return new Uberblock(b.getLong(8), c.txg(), b.getLong(24), c.timestamp(), bp, c.offset());
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
