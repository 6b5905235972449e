package userboot4j.cli;

import java.util.Locale;
import userboot4j.BootException;

/**
 * bhyveload's memory size syntax ({@code vm_parse_memsize}): a plain number below 1 MiB means megabytes,
 * a plain larger number bytes, and a K, M, G or T suffix (either case) scales by powers of 1024.
 */
final class MemSize {
    private static final long MB = 1L << 20;

    private MemSize() {
    }

    static long parse(String s) throws BootException {
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (!t.isEmpty() && Character.isDigit(t.charAt(t.length() - 1))) {
                long v = Long.decode(t);
                return v < MB ? Math.multiplyExact(v, MB) : v;
            }
            if (t.length() < 2) {
                throw new NumberFormatException();
            }
            int shift = switch (t.charAt(t.length() - 1)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                case 't' -> 40;
                default -> throw new NumberFormatException();
            };
            long v = Long.parseLong(t.substring(0, t.length() - 1));
            if (v < 0 || v > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return v << shift;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new BootException.Usage("invalid memory size '" + s + "' (e.g. 512M, 2G)");
        }
    }
}
