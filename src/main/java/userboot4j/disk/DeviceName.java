package userboot4j.disk;

/**
 * A disk device as the loader spells it (stand/common/disk.c): {@code disk<unit>}, then for a GPT partition
 * {@code p<n>}, or for an MBR slice {@code s<n>} optionally followed by a BSD partition letter, or a bare
 * BSD partition letter; e.g. {@code disk0}, {@code disk0p2}, {@code disk0s1}, {@code disk0s1a}, {@code disk0a}.
 * -1 means "none". The disk device switch parses these names (dev.UserbootDisk).
 */
public record DeviceName(int unit, int gptPartition, int slice, int bsdPartition) {
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("disk").append(unit);
        if (gptPartition >= 0) {
            sb.append('p').append(gptPartition);
        } else if (slice >= 0) {
            sb.append('s').append(slice);
        }
        if (bsdPartition >= 0) {
            sb.append((char) ('a' + bsdPartition));
        }
        return sb.toString();
    }
}
