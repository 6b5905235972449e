package userboot4j.cli;

import userboot4j.BootException;

/**
 * bhyveload's memory size syntax, as FreeBSD 13.2's libvmmapi reads it ({@code vm_parse_memsize}): a string
 * that strtoul(3) reads to its end is bytes, or megabytes when below 1 MiB; any other string goes to
 * libutil's expand_number(3): a number and one unit of b, k, m, g, t, p or e (either case, powers of 1024,
 * the others optionally followed by a b), with no megabyte rule. Numbers are C's (base 0: 0x for hex, a
 * leading 0 for octal, white space and a sign before them); the size is unsigned 64-bit, in a long's bits.
 */
final class MemSize {
    private static final long MB = 1L << 20;
    private static final long PAGE_MASK = 4095;

    private MemSize() {
    }

    /** vm_parse_memsize's size for {@code s}; a usage error where it returns -1. */
    static long parse(String s) throws BootException {
        Strtoumax n = Strtoumax.of(s);
        if (!s.isEmpty() && n.end() == s.length()) {
            // vm_parse_memsize does not look at strtoul's errno: an overflowing number is ULONG_MAX bytes
            return Long.compareUnsigned(n.value(), MB) < 0 ? n.value() * MB : n.value();
        }
        return expandNumber(s, n);
    }

    /**
     * The size for a command with no bhyve to refuse it: one vm_parse_memsize reads and vm_setup_memory
     * could allocate (vmm's vm_alloc_memseg takes a non-zero whole number of pages), below 8 EiB.
     */
    static long forGuest(String s) throws BootException {
        long size = parse(s);
        if (size <= 0 || (size & PAGE_MASK) != 0) {
            throw new BootException.Usage("memory size '" + s + "' is " + Long.toUnsignedString(size)
                    + " bytes: bhyve takes a non-zero multiple of 4096 bytes (and userboot4j less than 8 EiB)");
        }
        return size;
    }

    /** expand_number as libutil has it from 2019 to 2025: one unit, an optional b after it, no overflow. */
    private static long expandNumber(String s, Strtoumax n) throws BootException {
        if (n.failed()) {
            throw invalid(s);
        }
        int end = n.end();
        int shift = switch (tolower(at(s, end))) {
            case 'e' -> 60;
            case 'p' -> 50;
            case 't' -> 40;
            case 'g' -> 30;
            case 'm' -> 20;
            case 'k' -> 10;
            case 'b' -> 0;
            default -> throw invalid(s);
        };
        end++;
        if (shift != 0 && tolower(at(s, end)) == 'b') {
            end++;
        }
        long number = n.value();
        if (end != s.length() || (number << shift) >>> shift != number) {
            throw invalid(s);
        }
        return number << shift;
    }

    private static BootException invalid(String s) {
        return new BootException.Usage("invalid memory size '" + s + "' (e.g. 512M, 2G)");
    }

    /** The character at {@code i}, or C's terminating NUL past the end. */
    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    /** tolower(3) in the C locale: ASCII letters only. */
    private static char tolower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /**
     * strtoumax(s, &end, 0) as FreeBSD 13.2's libc has it (strtoul is the same on amd64): the value, where
     * it stopped, and whether it set errno (EINVAL for no digits, ERANGE for overflow, the value then
     * UINTMAX_MAX). 13.2 knows no 0b prefix; a 0x counts only before a hex digit.
     */
    private record Strtoumax(long value, int end, boolean failed) {
        static Strtoumax of(String s) {
            int i = 0;
            while (" \t\n\u000b\f\r".indexOf(at(s, i)) >= 0) {
                i++;
            }
            boolean neg = at(s, i) == '-';
            if (neg || at(s, i) == '+') {
                i++;
            }
            int base = 10;
            if (at(s, i) == '0' && tolower(at(s, i + 1)) == 'x' && digit(at(s, i + 2)) < 16) {
                base = 16;
                i += 2;
            } else if (at(s, i) == '0') {
                base = 8;
            }
            long acc = 0;
            boolean any = false;
            boolean overflow = false;
            for (int d; (d = digit(at(s, i))) < base; i++) {
                any = true;
                overflow |= Long.compareUnsigned(acc, Long.divideUnsigned(-1L - d, base)) > 0;
                acc = acc * base + d;
            }
            if (overflow) {
                return new Strtoumax(-1L, i, true);
            }
            return any ? new Strtoumax(neg ? -acc : acc, i, false) : new Strtoumax(0, 0, true);
        }

        /** A digit's value in any base up to 36; 36 for anything else. */
        private static int digit(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            char l = tolower(c);
            return l >= 'a' && l <= 'z' ? l - 'a' + 10 : 36;
        }
    }
}
