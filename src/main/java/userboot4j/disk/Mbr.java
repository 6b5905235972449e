package userboot4j.disk;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import userboot4j.BootException;

/**
 * A master boot record's four entries and, in the first extended partition, the chain of extended boot
 * records with up to 8 logical partitions numbered from 5 after them, as the loader's ptable_dosread and
 * ptable_ebrread read them. Only entries with a type, a start and a size count; an extended partition is an
 * entry too.
 */
final class Mbr {
    static final int ENTRIES = 446;
    static final int PMBR = 0xee;
    static final int FREEBSD = 0xa5;
    static final int LINUX = 0x83;
    static final int LINUX_SWAP = 0x82;
    static final int EXT = 0x05;
    static final int EXT_LBA = 0x0f;
    static final int[] DOS = {0x01, 0x04, 0x06, 0x0b, 0x0c, 0x0e};
    static final int MAX_LOGICAL = 8;

    private Mbr() {
    }

    /** True when sector 0 ends in 0x55 0xaa and every entry's flag is 0 or 0x80. */
    static boolean valid(ByteBuffer s0) {
        if ((s0.get(510) & 0xff) != 0x55 || (s0.get(511) & 0xff) != 0xaa) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            int flag = s0.get(ENTRIES + 16 * i) & 0xff;
            if (flag != 0 && flag != 0x80) {
                return false;
            }
        }
        return true;
    }

    /** True when sector 0 is a protective MBR: an 0xee entry (and at most one other, only if HFS). */
    static boolean protective(ByteBuffer s0) {
        int used = 0;
        boolean pmbr = false;
        for (int i = 0; i < 4; i++) {
            int type = s0.get(ENTRIES + 16 * i + 4) & 0xff;
            used += type != 0 ? 1 : 0;
            pmbr |= type == PMBR;
        }
        return pmbr && (used <= 1 || (s0.get(ENTRIES + 16 + 4) & 0xff) == 0xaf);
    }

    static List<Partition> read(Volume disk, ByteBuffer s0) throws BootException {
        int ss = disk.sectorSize();
        List<Partition> out = new ArrayList<>();
        long extended = -1;
        for (int i = 0; i < 4; i++) {
            int at = ENTRIES + 16 * i;
            int type = s0.get(at + 4) & 0xff;
            long start = s0.getInt(at + 8) & 0xffffffffL;
            long size = s0.getInt(at + 12) & 0xffffffffL;
            if (type == 0 || start == 0 || size == 0) {
                continue;
            }
            boolean active = (s0.get(at) & 0xff) == 0x80;
            out.add(new Partition(i + 1, PartType.ofMbr(type), start * ss, size * ss, rank(type, active)));
            if ((type == EXT || type == EXT_LBA) && extended < 0) {
                extended = start;
            }
        }
        if (extended >= 0) {
            logical(disk, extended, out);
        }
        return out;
    }

    /** The EBR chain: each EBR's first entry is a logical partition, its second points to the next EBR. */
    private static void logical(Volume disk, long extStart, List<Partition> out) throws BootException {
        int ss = disk.sectorSize();
        long ebr = extStart;
        for (int n = 0; n < MAX_LOGICAL; n++) {
            if ((ebr + 1) * ss > disk.size()) {
                return;
            }
            ByteBuffer b = disk.read(ebr * ss, ss);
            if (!valid(b)) {
                return;
            }
            int type = b.get(ENTRIES + 4) & 0xff;
            long start = b.getInt(ENTRIES + 8) & 0xffffffffL;
            long size = b.getInt(ENTRIES + 12) & 0xffffffffL;
            if (type != 0 && start != 0 && size != 0) {
                out.add(new Partition(5 + n, PartType.ofMbr(type), (ebr + start) * ss, size * ss,
                        rank(type, false)));
            }
            long next = b.getInt(ENTRIES + 16 + 8) & 0xffffffffL;
            if (next == 0) {
                return;
            }
            ebr = extStart + next;
        }
    }

    static Partition.Rank rank(int type, boolean active) {
        if (type == FREEBSD) {
            return active ? Partition.Rank.FREEBSD_ACTIVE : Partition.Rank.FREEBSD;
        }
        if (type == LINUX) {
            return active ? Partition.Rank.LINUX_ACTIVE : Partition.Rank.LINUX;
        }
        for (int d : DOS) {
            if (type == d) {
                return active ? Partition.Rank.DOS_ACTIVE : Partition.Rank.DOS;
            }
        }
        return Partition.Rank.NONE;
    }
}
