package userboot4j.dev;

import java.util.ArrayList;
import java.util.List;
import userboot4j.BootException;
import userboot4j.disk.DeviceName;
import userboot4j.disk.DiskImage;
import userboot4j.disk.Disks;
import userboot4j.disk.Partition;
import userboot4j.disk.PartType;
import userboot4j.disk.PartitionTable;
import userboot4j.disk.Volume;
import userboot4j.fs.FileSystem;
import userboot4j.fs.ufs.Superblock;

/**
 * userboot's disk device (userboot_disk.c with stand/common/disk.c): bhyveload's {@code -d} images as
 * {@code disk0}, {@code disk1}…, their partitions named and opened as disk_parsedev and disk_open do.
 */
final class UserbootDisk implements Devsw {
    private final Disks disks;

    UserbootDisk(Disks disks) {
        this.disks = disks;
    }

    record Desc(UserbootDisk devsw, DeviceName name) implements Devdesc {
        @Override
        public String toString() {
            return name + ":";
        }
    }

    /** One partition met by {@link #walk}: its device name, nesting depth, entry and range. */
    interface Visitor {
        void visit(String name, int depth, Partition p, Volume range) throws BootException;
    }

    Disks disks() {
        return disks;
    }

    @Override
    public String name() {
        return "disk";
    }

    /** The partitions of {@code v} (named after {@code prefix}) in table order, each MBR slice's label inside it. */
    void walk(Volume v, String prefix, int depth, Visitor visitor) throws BootException {
        PartitionTable t = disks.table(v);
        for (Partition p : t.partitions()) {
            String name = prefix + switch (t.scheme()) {
                case GPT -> "p" + p.index();
                case MBR -> "s" + p.index();
                default -> String.valueOf((char) ('a' + p.index()));
            };
            Volume range = v.slice(name, p.start(), p.length());
            visitor.visit(name, depth, p, range);
            // disk.c looks for a BSD label only in a FreeBSD slice
            if (t.scheme() == PartitionTable.Scheme.MBR && p.type() == PartType.FREEBSD) {
                walk(range, name, depth + 1, visitor);
            }
        }
    }

    /** userdisk_print with disk_print's lines: type, and with {@code verbose} the size. */
    @Override
    public List<String> print(boolean verbose) throws BootException {
        List<String> out = new ArrayList<>();
        if (!disks.disks().isEmpty()) {
            out.add("disk devices:");
        }
        for (DiskImage d : disks.disks()) {
            out.add("    " + d.name() + ":   Guest drive image");
            if (disks.table(d).scheme() == PartitionTable.Scheme.ISO9660) {
                // ptable_iso9660_read: one entry without a name, the whole disk
                out.add(partitionLine(d.name(), 0, "ISO9660", d.size(), verbose));
                continue;
            }
            walk(d, d.name(), 0, (name, depth, p, range) ->
                    out.add(partitionLine(name, depth, p.type().words(), p.length(), verbose)));
        }
        return out;
    }

    /** ptable_print's line: the name and type, and with {@code verbose} the size. */
    private static String partitionLine(String name, int depth, String type, long length, boolean verbose) {
        String line = "  " + "  ".repeat(depth) + "    " + name + ": " + type;
        // a short line gets a second tab, so that sizes line up
        return verbose ? line + (line.length() < 24 ? "\t\t" : "\t") + displaySize(length) : line;
    }

    /** disk.c's display_size: KiB, or MB, GB, TB once the number has five digits. */
    private static String displaySize(long bytes) {
        long size = bytes / 1024;
        char unit = 'K';
        if (size >= 10485760000L) {
            size /= 1073741824;
            unit = 'T';
        } else if (size >= 10240000) {
            size /= 1048576;
            unit = 'G';
        } else if (size >= 10000) {
            size /= 1024;
            unit = 'M';
        }
        return String.format("%4d%cB", size, unit);
    }

    /** disk_parsedev: a unit, then {@code pN}, or {@code sN} and a letter, or a letter; then the colon or the end. */
    @Override
    public Parsed parse(String spec) throws BootException {
        int[] at = {name().length()};
        if (at[0] == spec.length() || spec.charAt(at[0]) == ':') {
            throw new DeviceException(spec, DeviceException.EINVAL);
        }
        int unit = number(spec, at, DeviceException.EUNIT);
        int gpt = -1;
        int slice = -1;
        int partition = -1;
        if (next(spec, at[0]) == 'p') {
            at[0]++;
            gpt = number(spec, at, DeviceException.ESLICE);
        } else {
            if (next(spec, at[0]) == 's') {
                at[0]++;
                slice = number(spec, at, DeviceException.ESLICE);
            }
            char c = next(spec, at[0]);
            if (c != 0 && c != ':') {
                if (c < 'a') {
                    throw new DeviceException(spec, DeviceException.EPART);
                }
                partition = c - 'a';
                at[0]++;
            }
        }
        char c = next(spec, at[0]);
        if (c != 0 && c != ':') {
            throw new DeviceException(spec, DeviceException.EINVAL);
        }
        return new Parsed(new Desc(this, new DeviceName(unit, gpt, slice, partition)),
                c == 0 ? "" : spec.substring(at[0] + 1));
    }

    private static char next(String s, int at) {
        return at < s.length() ? s.charAt(at) : 0;
    }

    /** A decimal number at {@code at[0]}, which moves past it; {@code errno} when there is none. */
    private static int number(String s, int[] at, String errno) throws DeviceException {
        int start = at[0];
        while (at[0] < s.length() && Character.isDigit(s.charAt(at[0]))) {
            at[0]++;
        }
        try {
            return Integer.parseInt(s.substring(start, at[0]));
        } catch (NumberFormatException e) {
            throw new DeviceException(s, errno);
        }
    }

    /** The file system on the range disk_open finds for the name; a disk that was not given is an I/O error. */
    @Override
    public FileSystem open(Devdesc d) throws BootException {
        DeviceName name = ((Desc) d).name();
        if (name.unit() >= disks.disks().size()) {
            throw new DeviceException(d.toString(), DeviceException.EIO);
        }
        return FileSystems.probe(disks.open(name));
    }

    /** Why FreeBSD's loader would not read the file system of {@code d}; empty when it would (or none is there). */
    List<String> refusals(Devdesc d) throws BootException {
        Superblock sb = Superblock.find(disks.open(((Desc) d).name()));
        String why = sb == null ? null : sb.loaderRefusal();
        return why == null ? List.of() : List.of("FreeBSD's loader would not read this file system: " + why);
    }

    /** userboot's choice of currdev on disk 0 (extract_currdev without ZFS). */
    Desc currdev() throws BootException {
        return new Desc(this, disks.currdev());
    }
}
