package userboot4j.disk;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import userboot4j.BootException;

/**
 * A BSD disklabel (sys/sys/disklabel.h) in the second sector of its container (a disk or an MBR slice):
 * partitions a, b, d… (c, the raw partition, left out), offsets made relative to the raw partition's.
 */
final class BsdLabel {
    static final int MAGIC = 0x82564557;
    static final int RAW_PART = 2;
    static final int MIN_PARTITIONS = 8;
    static final int MAX_PARTITIONS = 20;
    static final int PARTITIONS = 148;
    static final int FS_SWAP = 1;
    static final int FS_BSDFFS = 7;
    static final int FS_VINUM = 14;
    static final int FS_ZFS = 27;

    private BsdLabel() {
    }

    /** The partitions, or null when the container has no valid label. */
    static List<Partition> read(Volume v) throws BootException {
        int ss = v.sectorSize();
        if (v.size() < 2L * ss) {
            return null;
        }
        ByteBuffer b = v.read(ss, ss);
        int n = b.getShort(138) & 0xffff;
        if ((b.getInt(0) != MAGIC && b.getInt(132) != MAGIC) || b.getInt(40) != ss || n < MIN_PARTITIONS
                || n > MAX_PARTITIONS || PARTITIONS + 16 * n > ss) {
            return null;
        }
        long raw = b.getInt(PARTITIONS + 16 * RAW_PART + 4) & 0xffffffffL;
        List<Partition> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int at = PARTITIONS + 16 * i;
            long size = b.getInt(at) & 0xffffffffL;
            long offset = b.getInt(at + 4) & 0xffffffffL;
            if (i == RAW_PART || size == 0) {
                continue;
            }
            int fstype = b.get(at + 12) & 0xff;
            out.add(new Partition(i, PartType.ofBsd(fstype), (offset - raw) * ss, size * ss,
                    fstype == FS_BSDFFS || fstype == FS_ZFS ? Partition.Rank.FREEBSD : Partition.Rank.NONE));
        }
        return out;
    }
}
