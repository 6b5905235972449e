package userboot4j.disk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import userboot4j.BootException;

/**
 * A GUID partition table (UEFI 2.x, 5.3): the primary header at LBA 1 and its entry array, both CRC32
 * checked; when the primary is damaged the backup header (at the header's alternate LBA, else the last
 * sector) is used, with a warning. Entries with a zero type, or outside the usable range, are skipped.
 */
final class Gpt {
    static final byte[] SIGNATURE = "EFI PART".getBytes(StandardCharsets.US_ASCII);
    static final int MIN_HEADER = 92;
    static final int MIN_ENTRY = 128;
    /** Entry arrays larger than this are not believed (a usual one is 16 KiB). */
    static final long MAX_TABLE = 1 << 20;

    private Gpt() {
    }

    /** 4096 when the image's GPT header sits at byte 4096 rather than 512, else 512. */
    static int sectorSize(Volume disk) throws BootException {
        for (int s : new int[] {512, 4096}) {
            if (disk.size() >= 2L * s && java.util.Arrays.equals(disk.read(s, 8).array(), SIGNATURE)) {
                return s;
            }
        }
        return 512;
    }

    /** The partitions, or null when neither header is valid. */
    static List<Partition> read(Volume disk, List<String> warnings) throws BootException {
        int ss = disk.sectorSize();
        long sectors = disk.size() / ss;
        Header primary = header(disk, 1);
        List<Partition> table = primary == null ? null : entries(disk, primary);
        long altLba = primary != null && primary.alt < sectors ? primary.alt : sectors - 1;
        if (table == null) {
            Header backup = altLba > 1 ? header(disk, altLba) : null;
            List<Partition> t = backup == null ? null : entries(disk, backup);
            if (t != null) {
                warnings.add(disk.name() + ": the primary GPT is damaged; using the backup at sector " + altLba);
            }
            return t;
        }
        return table;
    }

    private record Header(long self, long alt, long firstUsable, long lastUsable, long tableLba, long entries,
            long entrySize, int tableCrc) {
    }

    private static Header header(Volume disk, long lba) throws BootException {
        int ss = disk.sectorSize();
        if ((lba + 1) * ss > disk.size()) {
            return null;
        }
        ByteBuffer b = disk.read(lba * ss, ss);
        byte[] sig = new byte[8];
        b.get(0, sig);
        int size = b.getInt(12);
        if (!java.util.Arrays.equals(sig, SIGNATURE) || size < MIN_HEADER || size > ss) {
            return null;
        }
        CRC32 crc = new CRC32();
        byte[] h = new byte[size];
        b.get(0, h);
        h[16] = h[17] = h[18] = h[19] = 0;
        crc.update(h);
        Header hdr = new Header(b.getLong(24), b.getLong(32), b.getLong(40), b.getLong(48), b.getLong(72),
                b.getInt(80) & 0xffffffffL, b.getInt(84) & 0xffffffffL, b.getInt(88));
        if ((int) crc.getValue() != b.getInt(16) || b.getInt(8) < 0x10000 || hdr.self != lba || hdr.alt == hdr.self
                || hdr.entries == 0 || hdr.entrySize < MIN_ENTRY || ss % hdr.entrySize != 0) {
            return null;
        }
        return hdr;
    }

    private static List<Partition> entries(Volume disk, Header h) throws BootException {
        int ss = disk.sectorSize();
        long bytes = h.entries * h.entrySize;
        if (bytes > MAX_TABLE || h.tableLba <= 0 || h.tableLba * ss + bytes > disk.size()) {
            return null;
        }
        ByteBuffer t = disk.read(h.tableLba * ss, (int) bytes);
        CRC32 crc = new CRC32();
        crc.update(t.array());
        if ((int) crc.getValue() != h.tableCrc) {
            return null;
        }
        List<Partition> out = new ArrayList<>();
        for (int i = 0; i < h.entries; i++) {
            int at = (int) (i * h.entrySize);
            String type = guid(t, at);
            long first = t.getLong(at + 32);
            long last = t.getLong(at + 40);
            if (type.equals("00000000-0000-0000-0000-000000000000") || first < h.firstUsable || last > h.lastUsable
                    || first > last) {
                continue;
            }
            PartType name = PartType.ofGpt(type);
            Partition.Rank rank = switch (name) {
                case FREEBSD_UFS, FREEBSD_ZFS -> Partition.Rank.FREEBSD;
                case DOS -> Partition.Rank.DOS;
                default -> Partition.Rank.NONE;
            };
            out.add(new Partition(i + 1, name, first * ss, (last - first + 1) * ss, rank));
        }
        return out;
    }

    /** A GUID in its usual text form: the first three fields are stored little-endian. */
    static String guid(ByteBuffer b, int at) {
        return String.format("%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", b.getInt(at),
                b.getShort(at + 4), b.getShort(at + 6), b.get(at + 8), b.get(at + 9), b.get(at + 10), b.get(at + 11),
                b.get(at + 12), b.get(at + 13), b.get(at + 14), b.get(at + 15));
    }
}
