package userboot4j.disk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import userboot4j.BootException;

/**
 * The partition table of a disk or slice, found the way the loader's ptable_open looks: an ISO 9660 volume
 * descriptor, a BSD label, then the MBR (a protective one leading to the GPT), else a GPT alone. Entries
 * that lie outside their container, or overlap, are refused with the container's name and the entries.
 */
public record PartitionTable(Scheme scheme, List<Partition> partitions) {
    public enum Scheme { NONE, ISO9660, BSD, MBR, GPT }

    static final long ISO_PVD = 16 * 2048;

    public static PartitionTable probe(Volume v, List<String> warnings) throws BootException {
        int ss = v.sectorSize();
        if (v.size() < ss) {
            return new PartitionTable(Scheme.NONE, List.of());
        }
        ByteBuffer s0 = v.read(0, ss);
        if (v.size() >= ISO_PVD + 8 && "CD001".equals(new String(v.read(ISO_PVD + 1, 5).array(),
                StandardCharsets.US_ASCII))) {
            return new PartitionTable(Scheme.ISO9660, List.of());
        }
        List<Partition> bsd = BsdLabel.read(v);
        if (bsd != null) {
            return checked(v, Scheme.BSD, bsd);
        }
        if (!Mbr.valid(s0)) {
            List<Partition> gpt = (s0.get(510) & 0xff) == 0x55 ? null : Gpt.read(v, warnings);
            return gpt == null ? new PartitionTable(Scheme.NONE, List.of()) : checked(v, Scheme.GPT, gpt);
        }
        if (Mbr.protective(s0)) {
            List<Partition> gpt = Gpt.read(v, warnings);
            if (gpt != null) {
                return checked(v, Scheme.GPT, gpt);
            }
        }
        return checked(v, Scheme.MBR, Mbr.read(v, s0));
    }

    private static PartitionTable checked(Volume v, Scheme scheme, List<Partition> parts) throws BootException {
        for (Partition p : parts) {
            if (p.start() < 0 || p.length() <= 0 || p.start() > v.size() || p.length() > v.size() - p.start()) {
                throw new BootException.InvalidFormat(String.format("%s: %s partition %d (offset 0x%x, length 0x%x)"
                        + " lies outside the device (size 0x%x)", v.name(), scheme, p.index(), p.start(), p.length(),
                        v.size()));
            }
        }
        // an MBR extended partition holds the logical ones: it is their container, not a neighbour
        List<Partition> sorted = new ArrayList<>(parts);
        sorted.removeIf(p -> p.type() == PartType.EXTENDED);
        sorted.sort(Comparator.comparingLong(Partition::start));
        for (int i = 1; i < sorted.size(); i++) {
            Partition p = sorted.get(i);
            if (sorted.get(i - 1).start() + sorted.get(i - 1).length() > p.start()) {
                throw new BootException.InvalidFormat(String.format("%s: %s partitions %d and %d overlap at offset 0x%x",
                        v.name(), scheme, sorted.get(i - 1).index(), p.index(), p.start()));
            }
        }
        return new PartitionTable(scheme, List.copyOf(parts));
    }

    /** ptable_getbestpart: the best-ranked entry, the first in table order among equals; null for none. */
    public Partition best() {
        Partition best = null;
        for (Partition p : partitions) {
            if (p.rank() != Partition.Rank.NONE && (best == null || p.rank().compareTo(best.rank()) < 0)) {
                best = p;
            }
        }
        return best;
    }

    public Partition get(int index) {
        for (Partition p : partitions) {
            if (p.index() == index) {
                return p;
            }
        }
        return null;
    }
}
