package userboot4j.disk;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import userboot4j.BootException;

/**
 * bhyveload's {@code -d} disks, {@code disk0} to {@code disk31} in command-line order, and the loader's way
 * of turning a device name into the range it names (disk_open), including the wildcard choice userboot
 * makes for {@code currdev}.
 */
public final class Disks implements AutoCloseable {
    private final List<DiskImage> disks;
    private final List<String> warnings = new ArrayList<>();

    private Disks(List<DiskImage> disks) {
        this.disks = disks;
    }

    public static Disks open(List<Path> images) throws BootException {
        if (images.size() > DiskImage.MAX_DISKS) {
            throw new BootException.Usage("at most " + DiskImage.MAX_DISKS + " disks (-d), as bhyveload allows");
        }
        List<DiskImage> out = new ArrayList<>();
        try {
            for (Path p : images) {
                out.add(DiskImage.open(p, out.size()));
            }
        } catch (BootException e) {
            for (DiskImage d : out) {
                d.close();
            }
            throw e;
        }
        return new Disks(out);
    }

    public List<DiskImage> disks() {
        return Collections.unmodifiableList(disks);
    }

    /** Warnings met while reading tables (a damaged primary GPT…). */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    public DiskImage disk(int unit) throws BootException {
        if (unit < 0 || unit >= disks.size()) {
            throw new BootException.NotFound("disk" + unit + ": no such disk (" + disks.size() + " given with -d)");
        }
        return disks.get(unit);
    }

    public PartitionTable table(Volume v) throws BootException {
        return PartitionTable.probe(v, warnings);
    }

    /** disk_open: the range a device name stands for. */
    public Volume open(DeviceName d) throws BootException {
        DiskImage disk = disk(d.unit());
        PartitionTable t = table(disk);
        if (d.gptPartition() >= 0) {
            Partition p = t.scheme() == PartitionTable.Scheme.GPT ? t.get(d.gptPartition()) : null;
            return part(disk, d, p, disk);
        }
        if (d.slice() == 0 && t.scheme() == PartitionTable.Scheme.ISO9660) {
            return disk.slice(d.toString(), 0, disk.size()); // the wildcard slice: on a CD, the whole disk
        }
        if (d.slice() >= 0) {
            Partition s = t.scheme() == PartitionTable.Scheme.MBR ? (d.slice() == 0 ? t.best() : t.get(d.slice()))
                    : null;
            Volume slice = part(disk, new DeviceName(d.unit(), -1, d.slice(), -1), s, disk);
            boolean label = table(slice).scheme() == PartitionTable.Scheme.BSD;
            if (d.bsdPartition() < 0) {
                // a FreeBSD slice with a label is read at its partition a; any other slice whole (it may hold ZFS)
                return label && isFreeBsd(s) ? part(slice, d, table(slice).get(0), slice) : slice;
            }
            return part(slice, d, label ? table(slice).get(d.bsdPartition()) : null, slice);
        }
        if (d.bsdPartition() >= 0) {
            return part(disk, d, t.scheme() == PartitionTable.Scheme.BSD ? t.get(d.bsdPartition()) : null, disk);
        }
        return disk;
    }

    private static boolean isFreeBsd(Partition slice) {
        return slice.type() == PartType.FREEBSD;
    }

    private static Volume part(Volume container, DeviceName name, Partition p, Volume in) throws BootException {
        if (p == null) {
            throw new BootException.NotFound(name + ": no such partition on " + in.name());
        }
        return container.slice(name.toString(), p.start(), p.length());
    }

    /**
     * The device userboot makes {@code currdev} from disk 0 (extract_currdev with wildcard slice and
     * partition): a GPT's best partition; an MBR's best slice, and in a FreeBSD slice with a BSD label its
     * partition a; a bare BSD label's partition a; a CD's whole disk as {@code disk0s0}; else the whole disk.
     */
    public DeviceName currdev() throws BootException {
        DiskImage disk = disk(0);
        PartitionTable t = table(disk);
        switch (t.scheme()) {
            case GPT -> {
                Partition p = t.best();
                return p == null ? new DeviceName(0, -1, -1, -1) : new DeviceName(0, p.index(), -1, -1);
            }
            case MBR -> {
                Partition s = t.best();
                if (s == null) {
                    return new DeviceName(0, -1, -1, -1);
                }
                if (isFreeBsd(s)) {
                    Volume slice = disk.slice("disk0s" + s.index(), s.start(), s.length());
                    PartitionTable label = table(slice);
                    if (label.scheme() == PartitionTable.Scheme.BSD && !label.partitions().isEmpty()) {
                        return new DeviceName(0, -1, s.index(), 0);
                    }
                }
                return new DeviceName(0, -1, s.index(), -1);
            }
            case BSD -> {
                return new DeviceName(0, -1, -1, t.get(0) != null ? 0 : -1);
            }
            case ISO9660 -> {
                // disk_open leaves the wildcard slice in the name: userboot's currdev reads disk0s0.
                return new DeviceName(0, -1, 0, -1);
            }
            default -> {
                return new DeviceName(0, -1, -1, -1);
            }
        }
    }

    @Override
    public void close() throws BootException {
        for (DiskImage d : disks) {
            d.close();
        }
    }
}
