package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import userboot4j.BootException;

/**
 * bhyveload -m against FreeBSD 13.2's C code, each expected value worked out from it by hand:
 * <ul>
 * <li>lib/libvmmapi/vmmapi.c, vm_parse_memsize: {@code optval = strtoul(opt, &endptr, 0)}; if
 * {@code *opt != '\0' && *endptr == '\0'} the size is optval, times MB when {@code optval < MB} (errno
 * unread); else {@code expand_number(opt, ret_memsize)}.</li>
 * <li>lib/libutil/expand_number.c (July 2019 to 2025): {@code strtoumax(buf, &endptr, 0)}, -1 if errno is
 * set; a unit {@code tolower(*endptr)} of e p t g m k (shift 60 … 10) or b (shift 0), anything else EINVAL;
 * {@code endptr++}, then one more 'b' skipped when shift != 0; EINVAL unless at the end; ERANGE when
 * {@code (number << shift) >> shift != number}.</li>
 * <li>lib/libc/stdlib/strtoumax.c (strtoul alike on amd64): leading isspace, one '-' or '+', "0x" only
 * before a hex digit, else a leading 0 is octal; overflow gives UINTMAX_MAX and ERANGE, no digits endptr =
 * nptr and EINVAL; '-' negates modulo 2^64. The 0b prefix came with 14.0 (N2630), after 13.2.</li>
 * </ul>
 * Sizes are unsigned 64-bit, written here in decimal.
 */
class MemSizeTest {
    @ParameterizedTest(name = "-m ''{0}'' is {1}")
    @CsvSource(delimiter = '|', value = {
        // strtoul reads it whole and it is below MB: megabytes
        "512                   | 536870912",
        "1                     | 1048576",
        "1023                  | 1072693248",
        "1048575               | 1099510579200",
        "0                     | 0",
        // ...from MB up: bytes
        "1048576               | 1048576",
        "2097152               | 2097152",
        // C numbers, base 0: hex, octal, white space and a sign before the digits
        "0x100                 | 268435456",
        "0X1b                  | 28311552",
        "010                   | 8388608",
        "' 512'                | 536870912",
        "+512                  | 536870912",
        // '-' negates modulo 2^64: a huge number of bytes, accepted (vm_setup_memory refuses it later)
        "-5                    | 18446744073709551611",
        "-1                    | 18446744073709551615",
        // strtoul's overflow is ULONG_MAX with ERANGE, which vm_parse_memsize does not look at
        "18446744073709551616  | 18446744073709551615",
        "9223372036854775808   | 9223372036854775808",
        // not read whole by strtoul: expand_number, powers of 1024 and no megabyte rule
        "512M                  | 536870912",
        "512m                  | 536870912",
        "512MB                 | 536870912",
        "512mb                 | 536870912",
        "2g                    | 2147483648",
        "2G                    | 2147483648",
        "64k                   | 65536",
        "1k                    | 1024",
        "1T                    | 1099511627776",
        "1P                    | 1125899906842624",
        "1E                    | 1152921504606846976",
        "15E                   | 17293822569102704640",
        "17179869183G          | 18446744072635809792",
        "1b                    | 1",
        "1B                    | 1",
        "0x1g                  | 1073741824",
        "0x10m                 | 16777216",
        "' 5k'                 | 5120",
        // "0b": octal 0, then the unit b
        "0b                    | 0",
        // -0 shifts to 0; -1 with the unit b is not shifted
        "-0k                   | 0",
        "-1b                   | 18446744073709551615",
        // *opt == '\0', then expand_number finds no digits (EINVAL)
        "''                    | error",
        "M                     | error",
        "lots                  | error",
        "'-'                   | error",
        "'- 5'                 | error",
        // a unit expand_number does not know (EINVAL)
        "12Q                   | error",
        "1.5G                  | error",
        "'512 '                | error",
        "08                    | error",
        "0x                    | error",
        "0b1                   | error",
        // something after the unit and its optional b (EINVAL)
        "1bb                   | error",
        "1kbb                  | error",
        "1kx                   | error",
        "1Gi                   | error",
        // the shift overflows 64 bits, or strtoumax did (ERANGE)
        "16E                   | error",
        "17179869184G          | error",
        "-5k                   | error",
        "18446744073709551616k | error"})
    void vmParseMemsize(String arg, String bytes) throws Exception {
        if (bytes.equals("error")) {
            assertThatThrownBy(() -> MemSize.parse(arg)).isInstanceOf(BootException.Usage.class)
                    .hasMessage("invalid memory size '" + arg + "' (e.g. 512M, 2G)");
        } else {
            assertThat(Long.toUnsignedString(MemSize.parse(arg))).isEqualTo(bytes);
        }
    }

    /** inspect and run have no vm_setup_memory to refuse a size; vmm's vm_alloc_memseg rule stands in. */
    @Test
    void withoutBhyveTheSizeMustBeWholePages() throws Exception {
        assertThat(MemSize.forGuest("4100k")).isEqualTo(4100L << 10);
        for (String s : new String[] {"0", "1000000000", "-5", "15E"}) {
            assertThatThrownBy(() -> MemSize.forGuest(s)).isInstanceOf(BootException.Usage.class)
                    .hasMessageStartingWith("memory size '" + s + "' is ");
        }
    }
}
