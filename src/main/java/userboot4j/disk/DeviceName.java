package userboot4j.disk;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import userboot4j.BootException;

/**
 * A disk device as the loader spells it (stand/common/disk.c): {@code disk<unit>}, then for a GPT partition
 * {@code p<n>}, or for an MBR slice {@code s<n>} optionally followed by a BSD partition letter, or a bare
 * BSD partition letter; e.g. {@code disk0}, {@code disk0p2}, {@code disk0s1}, {@code disk0s1a}, {@code disk0a}.
 * -1 means "none".
 */
public record DeviceName(int unit, int gptPartition, int slice, int bsdPartition) {
    private static final Pattern SYNTAX = Pattern.compile("disk(\\d+)(?:p(\\d+)|s(\\d+)([a-t])?|([a-t]))?");

    public static DeviceName parse(String s) throws BootException {
        String name = s.endsWith(":") ? s.substring(0, s.length() - 1) : s;
        Matcher m = SYNTAX.matcher(name);
        if (!m.matches() || m.group(1).length() > 3) {
            throw new BootException.Usage("'" + s + "' is not a disk device name (disk0, disk0p2, disk0s1a, …)");
        }
        int unit = Integer.parseInt(m.group(1));
        int gpt = m.group(2) != null ? Integer.parseInt(m.group(2)) : -1;
        int slice = m.group(3) != null ? Integer.parseInt(m.group(3)) : -1;
        String letter = m.group(4) != null ? m.group(4) : m.group(5);
        return new DeviceName(unit, gpt, slice, letter != null ? letter.charAt(0) - 'a' : -1);
    }

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
