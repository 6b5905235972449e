package userboot4j.vmm.acpi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few terms of ACPI Machine Language (ACPI 6.x, 20.2) our DSDT is made of, each returned as its
 * encoded bytes: name strings, integers, packages, buffers, Name, Scope and Device.
 */
final class Aml {
    private static final int ZERO_OP = 0x00;
    private static final int ONE_OP = 0x01;
    private static final int NAME_OP = 0x08;
    private static final int BYTE_PREFIX = 0x0a;
    private static final int WORD_PREFIX = 0x0b;
    private static final int DWORD_PREFIX = 0x0c;
    private static final int QWORD_PREFIX = 0x0e;
    private static final int SCOPE_OP = 0x10;
    private static final int BUFFER_OP = 0x11;
    private static final int PACKAGE_OP = 0x12;
    private static final int DUAL_NAME_PREFIX = 0x2e;
    private static final int MULTI_NAME_PREFIX = 0x2f;
    private static final int EXT_OP_PREFIX = 0x5b;
    private static final int DEVICE_OP = 0x82;
    private static final int ROOT_CHAR = '\\';

    private Aml() {
    }

    /** DefName: Name (name, data). */
    static byte[] name(String name, byte[] data) {
        return concat(new byte[] {NAME_OP}, nameString(name), data);
    }

    /** DefScope: Scope (name) { terms }. */
    static byte[] scope(String name, byte[]... terms) {
        return withPkgLength(new byte[] {SCOPE_OP}, concat(nameString(name), concat(terms)));
    }

    /** DefDevice: Device (name) { terms }. */
    static byte[] device(String name, byte[]... terms) {
        return withPkgLength(new byte[] {EXT_OP_PREFIX, (byte) DEVICE_OP}, concat(nameString(name), concat(terms)));
    }

    /** DefPackage with up to 255 elements. */
    static byte[] pkg(byte[]... elements) {
        if (elements.length > 0xff) {
            throw new IllegalArgumentException("a Package holds at most 255 elements, not " + elements.length);
        }
        return withPkgLength(new byte[] {PACKAGE_OP}, concat(new byte[] {(byte) elements.length}, concat(elements)));
    }

    /** DefBuffer: its size as an integer, then the bytes. */
    static byte[] buffer(byte[] bytes) {
        return withPkgLength(new byte[] {BUFFER_OP}, concat(integer(bytes.length), bytes));
    }

    /** An integer in the shortest form: Zero, One, or a byte, word, dword or qword constant. */
    static byte[] integer(long v) {
        if (v == 0) {
            return new byte[] {ZERO_OP};
        }
        if (v == 1) {
            return new byte[] {ONE_OP};
        }
        if ((v & ~0xffL) == 0) {
            return new byte[] {BYTE_PREFIX, (byte) v};
        }
        if ((v & ~0xffffL) == 0) {
            return concat(new byte[] {WORD_PREFIX}, le(v, 2));
        }
        if ((v & ~0xffffffffL) == 0) {
            return dword(v);
        }
        return concat(new byte[] {QWORD_PREFIX}, le(v, 8));
    }

    /**
     * A compressed EISA ID such as "PNP0A03" (ACPI 6.1.5): three letters of five bits each, then four hex
     * digits, stored big-endian in a DWordConst as ASL's EISAID() does.
     */
    static byte[] eisaId(String id) {
        if (!id.matches("[A-Z]{3}[0-9A-F]{4}")) {
            throw new IllegalArgumentException("not an EISA ID: " + id);
        }
        int letters = (id.charAt(0) - '@') << 10 | (id.charAt(1) - '@') << 5 | (id.charAt(2) - '@');
        int product = Integer.parseInt(id.substring(3), 16);
        long v = (letters >> 8) | (letters & 0xff) << 8 | (product >> 8) << 16 | (long) (product & 0xff) << 24;
        return dword(v);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] dword(long v) {
        return concat(new byte[] {DWORD_PREFIX}, le(v, 4));
    }

    /** A NameString: an optional root prefix, then one, two or more 4-character segments padded with '_'. */
    private static byte[] nameString(String path) {
        boolean root = path.startsWith("\\");
        String[] segs = (root ? path.substring(1) : path).split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (root) {
            out.write(ROOT_CHAR);
        }
        if (segs.length == 2) {
            out.write(DUAL_NAME_PREFIX);
        } else if (segs.length > 2) {
            out.write(MULTI_NAME_PREFIX);
            out.write(segs.length);
        }
        for (String s : segs) {
            if (!s.matches("[A-Z_][A-Z0-9_]{0,3}")) {
                throw new IllegalArgumentException("not an ACPI name segment: '" + s + "' in " + path);
            }
            out.writeBytes((s + "___".substring(0, 4 - s.length())).getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /**
     * The opcode, a PkgLength and the body (ACPI 20.2.4). PkgLength counts its own bytes: one byte up to 63,
     * else a lead byte (count of following bytes in bits 7–6, low nibble of the length) and 1–3 more bytes.
     */
    private static byte[] withPkgLength(byte[] op, byte[] body) {
        int n = body.length;
        byte[] len;
        if (n + 1 <= 0x3f) {
            len = new byte[] {(byte) (n + 1)};
        } else {
            int extra = n + 2 < 1 << 12 ? 1 : n + 3 < 1 << 20 ? 2 : 3;
            int total = n + 1 + extra;
            if (total >= 1 << 28) {
                throw new IllegalArgumentException("AML object too large: " + n + " bytes");
            }
            len = new byte[1 + extra];
            len[0] = (byte) (extra << 6 | total & 0xf);
            for (int i = 1; i <= extra; i++) {
                len[i] = (byte) (total >> (4 + 8 * (i - 1)));
            }
        }
        return concat(op, len, body);
    }

    private static byte[] le(long v, int width) {
        byte[] b = new byte[width];
        for (int i = 0; i < width; i++) {
            b[i] = (byte) (v >> (8 * i));
        }
        return b;
    }
}
