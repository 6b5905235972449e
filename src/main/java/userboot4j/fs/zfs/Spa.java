package userboot4j.fs.zfs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.IntStream;
import userboot4j.BootException;
import userboot4j.disk.Volume;

/**
 * Reads blocks of a discovered pool (the boot loader's zio_read): each DVA in turn, on its top-level vdev;
 * a leaf's data starts after its two front labels and boot area; a mirror answers from the first child
 * whose copy checksums; a RAID-Z vdev rebuilds up to its parity count of missing or bad columns; a gang
 * block is put together from its members. The physical block is checksum-verified before it is
 * decompressed.
 */
public final class Spa {
    /** Two labels and the 3.5 MiB boot area in front of every leaf's allocatable space. */
    static final long LABEL_START = 4L << 20;
    static final long MAX_BLOCK = 16L << 20;
    /**
     * A gang header (OpenZFS zio_impl.h, zio_gbh_phys_t): block pointers, filler, an embedded checksum; 512
     * bytes (three block pointers) unless the pool has dynamic gang headers, which take a whole sector.
     */
    static final int GANG_HEADER_SIZE = 512;
    /** Block pointers in a 512-byte gang header. */
    static final int GBH_NBLKPTRS = (GANG_HEADER_SIZE - VdevLabel.ECK_SIZE) / Blkptr.SIZE;
    static final int ZIO_CHECKSUM_GANG_HEADER = 4;
    /** OpenZFS gangs a block only when no space is left for it whole; real trees have a handful of headers. */
    static final int MAX_GANG_HEADERS = 256;
    /**
     * Bytes of gang blocks put together one inside the other at once. OpenZFS splits a gang block into
     * members of about a third of it, so a real tree needs about one and a half times its block.
     */
    static final long MAX_GANG_BYTES = 2 * MAX_BLOCK;

    private final ZfsPools.Pool pool;
    private final FeaturesForRead features;
    /** The pool's checksum salt, which skein needs: null until Dsl has read the MOS object directory. */
    private byte[] salt;

    /** The reader of {@code pool} as FreeBSD 13.2's loader reads it. */
    public Spa(ZfsPools.Pool pool) {
        this(pool, FeaturesForRead.FREEBSD_13);
    }

    /** The reader of {@code pool} as the loader of the release whose features_for_read is {@code features}. */
    public Spa(ZfsPools.Pool pool, FeaturesForRead features) {
        this.pool = pool;
        this.features = features;
    }

    public ZfsPools.Pool pool() {
        return pool;
    }

    /** The release whose loader this reader follows. */
    public FeaturesForRead features() {
        return features;
    }

    void checksumSalt(byte[] salt) {
        this.salt = salt;
    }

    /** The logical contents of the block {@code bp} points to. */
    public byte[] read(Blkptr bp, String where) throws BootException {
        return read(bp, where, new GangTree());
    }

    /** The gang tree of one block being read: the headers read so far, the bytes of its blocks being put together. */
    private static final class GangTree {
        int headers;
        long held;
    }

    /** As {@link #read(Blkptr, String)}, within the gang tree {@code tree}. */
    private byte[] read(Blkptr bp, String where, GangTree tree) throws BootException {
        if (bp.psize() > MAX_BLOCK || bp.lsize() > MAX_BLOCK) {
            throw new BootException.InvalidFormat(where + ": block size " + bp.lsize() + " is past the 16 MiB limit");
        }
        if (bp.embedded()) {
            if (bp.checksum() != 0 || bp.psize() > bp.payload().length) {
                throw new BootException.Unsupported(String.format("%s: embedded block of type %d, %d bytes", where,
                        bp.checksum(), bp.psize()));
            }
            return ZioCompress.decompress(bp.compress(), Arrays.copyOf(bp.payload(), (int) bp.psize()),
                    (int) bp.lsize(), where);
        }
        BootException last = new BootException.InvalidFormat(where + ": block pointer has no DVA");
        for (Blkptr.Dva dva : bp.dvas()) {
            if (dva.isEmpty()) {
                continue;
            }
            if (dva.gang()) {
                try {
                    return decode(bp, gang(bp, where, tree), where + " (gang block)");
                } catch (BootException e) {
                    last = e;
                }
                continue;
            }
            NvList top = pool.topLevel().get(dva.vdev());
            if (top == null) {
                last = new BootException.NotFound(String.format("%s: top-level vdev %d is not among the given "
                        + "devices", where, dva.vdev()));
                continue;
            }
            try {
                return readVdev(top, dva.offset(), bp, where, 0);
            } catch (BootException e) {
                last = e;
            }
        }
        throw last;
    }

    private byte[] readVdev(NvList vdev, long offset, Blkptr bp, String where, int depth) throws BootException {
        String type = vdev.string("type");
        if ("disk".equals(type) || "file".equals(type)) {
            Volume v = device(vdev, where);
            // concatenated, not formatted: this runs for every block, and Formatter is slow until compiled
            return decode(bp, leaf(vdev, offset, (int) bp.psize(), where), where + " (" + v.name() + " offset 0x"
                    + Long.toHexString(LABEL_START + offset) + ")");
        }
        List<NvList> children = vdev.lists("children");
        if (depth < 4 && ("mirror".equals(type) || "replacing".equals(type) || "spare".equals(type))) {
            BootException last = new BootException.InvalidFormat(where + ": " + type + " vdev has no children");
            for (NvList child : children) {
                try {
                    return readVdev(child, offset, bp, where, depth + 1);
                } catch (BootException e) {
                    last = e;
                }
            }
            throw last;
        }
        if ("raidz".equals(type) && depth == 0) {
            return raidz(vdev, children, offset, bp, where);
        }
        throw new BootException.Unsupported(where + ": reading from a " + type + " vdev is not supported yet");
    }

    /**
     * The physical bytes at {@code offset} of a leaf vdev's allocatable space, which ends where the two back
     * labels start.
     */
    private byte[] leaf(NvList vdev, long offset, int len, String where) throws BootException {
        Volume v = device(vdev, where);
        long end = (v.size() & -VdevLabel.LABEL_SIZE) - 2L * VdevLabel.LABEL_SIZE;
        if (offset < 0 || offset > end - LABEL_START - len) {
            throw new BootException.InvalidFormat(String.format("%s: block of 0x%x bytes at offset 0x%x is past the "
                    + "allocatable space of %s (0x%x bytes)", where, len, offset, v.name(), end - LABEL_START));
        }
        return v.read(LABEL_START + offset, len).array();
    }

    /** The given device that is the leaf vdev {@code vdev}. */
    private Volume device(NvList vdev, String where) throws BootException {
        Long guid = vdev.number("guid");
        Volume v = guid == null ? null : pool.devices().get(guid);
        if (v == null) {
            throw new BootException.NotFound(String.format("%s: device %s (guid 0x%x) is not given", where,
                    vdev.string("path"), guid == null ? 0 : guid));
        }
        return v;
    }

    /**
     * The physical block of a gang block (OpenZFS zio.c, the loader's zio_read_gang): its gang header, read
     * from any of the block's DVAs, points to member blocks, themselves possibly gang blocks, whose contents
     * one after another make up the block. Members are smaller than their block and fill it exactly; at
     * most {@link #MAX_GANG_HEADERS} headers are read, so a header that points back into its own tree ends in
     * an error, and the blocks being put together inside one another, each held until its members are read,
     * add up to at most {@link #MAX_GANG_BYTES}.
     */
    private byte[] gang(Blkptr bp, String where, GangTree tree) throws BootException {
        if (++tree.headers > MAX_GANG_HEADERS) {
            throw new BootException.InvalidFormat(where + ": more than " + MAX_GANG_HEADERS + " gang headers");
        }
        if (tree.held + bp.psize() > MAX_GANG_BYTES) {
            throw new BootException.InvalidFormat(String.format("%s: gang blocks nested in one another add up to "
                    + "more than %d bytes", where, MAX_GANG_BYTES));
        }
        byte[] header = gangHeader(bp, where, tree);
        tree.held += bp.psize();
        try {
            byte[] phys = new byte[(int) bp.psize()];
            int at = 0;
            for (int i = 0; i < (header.length - VdevLabel.ECK_SIZE) / Blkptr.SIZE; i++) {
                Blkptr member = Blkptr.decode(header, i * Blkptr.SIZE, VdevLabel.eckOrder(header), where);
                if (member.isHole()) {
                    continue;
                }
                if (member.psize() >= bp.psize() || member.psize() > phys.length - at) {
                    throw new BootException.InvalidFormat(String.format("%s: gang member %d of %d bytes does not "
                            + "fit in its block of %d (%d used)", where, i, member.psize(), bp.psize(), at));
                }
                byte[] data = read(member, where, tree);
                System.arraycopy(data, 0, phys, at, (int) Math.min(data.length, member.psize()));
                at += (int) member.psize();
            }
            if (at != phys.length) {
                throw new BootException.InvalidFormat(String.format("%s: gang members hold %d of the block's %d "
                        + "bytes", where, at, phys.length));
            }
            return phys;
        } finally {
            tree.held -= bp.psize();
        }
    }

    /**
     * The gang header of {@code bp}: 512 bytes; or, for a loader that reads dynamic gang headers, as large as
     * the smallest sector of the vdevs its DVAs are on, and 512 bytes again when that does not read (a header
     * written before the feature was active).
     */
    private byte[] gangHeader(Blkptr bp, String where, GangTree tree) throws BootException {
        int size = features.dynamicGangHeader() ? smallestSector(bp, where) : GANG_HEADER_SIZE;
        try {
            return read(gangHeaderPointer(bp, size), where, tree);
        } catch (BootException e) {
            if (size == GANG_HEADER_SIZE) {
                throw e;
            }
            return read(gangHeaderPointer(bp, GANG_HEADER_SIZE), where, tree);
        }
    }

    /** The smallest sector (1 << ashift) of the top-level vdevs {@code bp}'s DVAs are on. */
    private int smallestSector(Blkptr bp, String where) throws BootException {
        long smallest = Long.MAX_VALUE;
        for (Blkptr.Dva dva : bp.dvas()) {
            if (dva.isEmpty()) {
                continue;
            }
            NvList top = pool.topLevel().get(dva.vdev());
            Long ashift = top == null ? null : top.number("ashift");
            if (ashift == null || ashift < 9 || ashift > 16) {
                throw new BootException.InvalidFormat(String.format("%s: gang block on top-level vdev %d, which has "
                        + "no ashift of 9 to 16", where, dva.vdev()));
            }
            smallest = Math.min(smallest, 1L << ashift);
        }
        return (int) smallest;
    }

    /** The pointer to a gang header of {@code size} bytes: the gang block's DVAs, not ganged, uncompressed. */
    private static Blkptr gangHeaderPointer(Blkptr bp, int size) {
        Blkptr.Dva[] dvas = bp.dvas().clone();
        for (int i = 0; i < dvas.length; i++) {
            dvas[i] = new Blkptr.Dva(dvas[i].vdev(), dvas[i].offset(), dvas[i].asize(), false);
        }
        return bp.with(dvas, size, size, ZioCompress.OFF, ZIO_CHECKSUM_GANG_HEADER, bp.cksum());
    }

    /**
     * Checks the physical block against its pointer's checksum and decompresses it. The pointer gang() makes
     * for a gang header has the gang_header checksum type: an embedded SHA-256 whose verifier is the first
     * DVA and the physical birth txg.
     */
    private byte[] decode(Blkptr bp, byte[] phys, String where) throws BootException {
        if (bp.checksum() == ZIO_CHECKSUM_GANG_HEADER) {
            Blkptr.Dva id = bp.dvas()[0];
            if (!VdevLabel.verify(phys, id.vdev(), id.offset(), bp.physicalBirth(), 0)) {
                throw new BootException.InvalidFormat(where + ": gang header checksum mismatch");
            }
        } else {
            ZioChecksum.verify(bp, phys, salt, features, where);
        }
        return ZioCompress.decompress(bp.compress(), phys, (int) bp.lsize(), where);
    }

    /**
     * A RAID-Z block, as the boot loader's vdev_raidz_read does it: the data columns joined; when a column
     * cannot be read, the parity is read too and the missing data columns rebuilt from it; when the block
     * then fails its checksum, every combination of further columns (up to the parity count in all) is
     * taken as silently bad and rebuilt in turn until one checksums.
     */
    private byte[] raidz(NvList vdev, List<NvList> children, long offset, Blkptr bp, String where)
            throws BootException {
        Long nparity = vdev.number("nparity");
        Long ashift = vdev.number("ashift");
        int parity = nparity == null ? 1 : (int) (long) nparity; // before pool version 3 only raidz1 existed
        if (children.size() < 2 || parity < 1 || parity > 3 || parity >= children.size() || ashift == null
                || ashift < 9 || ashift > 16) {
            throw new BootException.InvalidFormat(where + ": raidz vdev with " + children.size() + " children, "
                    + "parity " + parity + ", ashift " + ashift);
        }
        long sector = 1L << ashift;
        long aligned = (bp.psize() + sector - 1) & -sector; // device I/O is in whole sectors
        RaidzMap map = RaidzMap.of(offset, aligned, children.size(), parity, (int) (long) ashift);
        int cols = map.device().length;
        byte[][] col = new byte[cols][];
        BootException unreadable = readColumns(children, map, col, parity, cols, where);
        BootException last = unreadable;
        if (unreadable == null) {
            try {
                return decode(bp, join(map, col, (int) bp.psize()), where);
            } catch (BootException e) {
                last = e;
            }
        }
        BootException parityUnreadable = readColumns(children, map, col, 0, parity, where);
        unreadable = unreadable != null ? unreadable : parityUnreadable;
        List<Integer> bad = new ArrayList<>();
        List<Integer> good = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            (col[c] == null ? bad : good).add(c);
        }
        if (bad.size() > parity) {
            String message = String.format("%s: %d of %d raidz%d columns cannot be read, at most %d can be "
                    + "rebuilt: %s", where, bad.size(), cols, parity, parity,
                    unreadable.getMessage().replaceFirst("^" + java.util.regex.Pattern.quote(where) + ": ", ""));
            throw unreadable instanceof BootException.NotFound ? new BootException.NotFound(message)
                    : new BootException.InvalidFormat(message);
        }
        // the columns that failed to read, then with 1, 2, … more taken as bad; while no data column is
        // bad, a guess of parity columns alone would rebuild nothing and is skipped
        boolean dataBad = !bad.isEmpty() && bad.get(bad.size() - 1) >= parity;
        for (int more = bad.isEmpty() ? 1 : 0; more <= parity - bad.size(); more++) {
            for (int[] guess : combinations(good, more)) {
                if (more > 0 && !dataBad && guess[guess.length - 1] < parity) {
                    continue;
                }
                try {
                    return decode(bp, join(map, rebuild(map, col, bad, guess, where), (int) bp.psize()), where);
                } catch (BootException e) {
                    last = e;
                }
            }
        }
        throw last;
    }

    /** Reads columns [from, to) of the map into {@code col}; the failure of the last unreadable one, or null. */
    private BootException readColumns(List<NvList> children, RaidzMap map, byte[][] col, int from, int to,
            String where) {
        BootException failure = null;
        for (int c = from; c < to; c++) {
            try {
                col[c] = leaf(children.get(map.device()[c]), map.offset()[c], map.size()[c], where);
            } catch (BootException e) {
                failure = e;
            }
        }
        return failure;
    }

    /** The columns with the data columns among {@code bad} and {@code guess} rebuilt from the other parity. */
    private static byte[][] rebuild(RaidzMap map, byte[][] col, List<Integer> bad, int[] guess, String where)
            throws BootException {
        SortedSet<Integer> out = new TreeSet<>(bad);
        for (int c : guess) {
            out.add(c);
        }
        int[] missing = out.stream().filter(c -> c >= map.parity()).mapToInt(Integer::intValue).toArray();
        int[] rows = IntStream.range(0, map.parity()).filter(r -> !out.contains(r))
                .limit(missing.length).toArray();
        byte[][] trial = col.clone();
        if (missing.length > 0) {
            RaidzParity.reconstruct(trial, map.size(), map.parity(), missing, rows, where);
        }
        return trial;
    }

    /** The physical block of {@code psize} bytes: the data columns one after another. */
    private static byte[] join(RaidzMap map, byte[][] col, int psize) {
        byte[] phys = new byte[psize];
        for (int c = map.parity(), at = 0; c < col.length && at < psize; at += map.size()[c], c++) {
            System.arraycopy(col[c], 0, phys, at, Math.min(map.size()[c], psize - at));
        }
        return phys;
    }

    /** Every ascending choice of {@code k} of {@code from}. */
    static List<int[]> combinations(List<Integer> from, int k) {
        List<int[]> out = new ArrayList<>();
        int[] pick = new int[k];
        choose(from, k, 0, 0, pick, out);
        return out;
    }

    private static void choose(List<Integer> from, int k, int start, int depth, int[] pick, List<int[]> out) {
        if (depth == k) {
            out.add(pick.clone());
            return;
        }
        for (int i = start; i <= from.size() - (k - depth); i++) {
            pick[depth] = from.get(i);
            choose(from, k, i + 1, depth + 1, pick, out);
        }
    }
}
