package userboot4j.disk;

/**
 * One entry of a partition table: its index as the loader numbers it (GPT slot + 1, MBR slot + 1 with
 * logical partitions from 5, BSD label letter index), its type as the loader names it, where it lies (bytes from the start
 * of its container) and how it ranks when the loader looks for a boot partition.
 */
public record Partition(int index, PartType type, long start, long length, Rank rank) {
    /** ptable_getbestpart's preference, best first. */
    public enum Rank { RAWDISK, FREEBSD_ACTIVE, FREEBSD, LINUX_ACTIVE, LINUX, DOS_ACTIVE, DOS, NONE }
}
