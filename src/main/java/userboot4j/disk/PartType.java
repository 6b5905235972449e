package userboot4j.disk;

import java.util.Map;

/**
 * A partition's type as the loader's stand/common/part.c sees it: each scheme's type (a GPT type GUID, an
 * MBR type byte, a BSD label fstype) mapped as its gpt_parttype, mbr_parttype and bsd_parttype map them,
 * and the words its parttype2str gives for {@code lsdev}.
 */
public enum PartType {
    UNKNOWN("Unknown"), EFI("EFI"), FREEBSD("FreeBSD"), FREEBSD_BOOT("FreeBSD boot"), FREEBSD_UFS("FreeBSD UFS"),
    FREEBSD_ZFS("FreeBSD ZFS"), FREEBSD_SWAP("FreeBSD swap"), FREEBSD_VINUM("FreeBSD vinum"), LINUX("Linux"),
    LINUX_SWAP("Linux swap"), DOS("DOS/Windows"), APFS("APFS"),
    /** An MBR extended partition: unknown to part.c too, which tells it by the entry's raw type. */
    EXTENDED("Unknown");

    private static final Map<String, PartType> GPT = Map.of(
            "c12a7328-f81f-11d2-ba4b-00a0c93ec93b", EFI,
            "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7", DOS,
            "83bd6b9d-7f41-11dc-be0b-001560b84f0f", FREEBSD_BOOT,
            "516e7cb6-6ecf-11d6-8ff8-00022d09712b", FREEBSD_UFS,
            "516e7cba-6ecf-11d6-8ff8-00022d09712b", FREEBSD_ZFS,
            "516e7cb5-6ecf-11d6-8ff8-00022d09712b", FREEBSD_SWAP,
            "516e7cb8-6ecf-11d6-8ff8-00022d09712b", FREEBSD_VINUM,
            "516e7cb4-6ecf-11d6-8ff8-00022d09712b", FREEBSD,
            "7c3457ef-0000-11aa-aa11-00306543ecac", APFS);

    private final String words;

    PartType(String words) {
        this.words = words;
    }

    /** parttype2str: what lsdev prints for the type. */
    public String words() {
        return words;
    }

    /** gpt_parttype, for a type GUID in its lower-case text form. */
    static PartType ofGpt(String guid) {
        return GPT.getOrDefault(guid, UNKNOWN);
    }

    /** mbr_parttype, for an MBR entry's type byte. */
    static PartType ofMbr(int type) {
        return switch (type) {
            case Mbr.FREEBSD -> FREEBSD;
            case Mbr.LINUX_SWAP -> LINUX_SWAP;
            case Mbr.LINUX -> LINUX;
            case 0x01, 0x04, 0x06, 0x07, 0x0b, 0x0c, 0x0e -> DOS;
            case Mbr.EXT, Mbr.EXT_LBA -> EXTENDED;
            default -> UNKNOWN;
        };
    }

    /** bsd_parttype, for a BSD label entry's fstype. */
    static PartType ofBsd(int fstype) {
        return switch (fstype) {
            case BsdLabel.FS_SWAP -> FREEBSD_SWAP;
            case BsdLabel.FS_BSDFFS -> FREEBSD_UFS;
            case BsdLabel.FS_VINUM -> FREEBSD_VINUM;
            case BsdLabel.FS_ZFS -> FREEBSD_ZFS;
            default -> UNKNOWN;
        };
    }
}
