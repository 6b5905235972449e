package userboot4j.kldxref;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import userboot4j.BootException;

/**
 * One linker.hints record as kldxref builds it: ints little-endian and aligned to 4 bytes from the start
 * of the record, strings as a length byte and the bytes with no padding, and the whole padded to 4 bytes
 * and preceded by its length.
 */
final class HintsRecord {
    /** kldxref's record buffer (MAXRECSIZE): a record that does not fit is an error there too. */
    static final int MAXRECSIZE = 64 << 10;
    static final int MAX_STRING = 255;

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    /** The file the record comes from, for messages. */
    private final String file;

    HintsRecord(String file) {
        this.file = file;
    }

    private void align() {
        while (buf.size() % 4 != 0) {
            buf.write(0);
        }
    }

    private void put(byte[] b) throws BootException {
        if (MAXRECSIZE - buf.size() < b.length) {
            throw new BootException.InvalidFormat(file + ": linker.hints record longer than kldxref's " + MAXRECSIZE
                    + "-byte record buffer");
        }
        buf.writeBytes(b);
    }

    void putInt(int v) throws BootException {
        align();
        put(new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)});
    }

    /** Module names and PNP strings were read as ISO 8859-1, so this gives back their bytes. */
    void putString(String s) throws BootException {
        putString(s.getBytes(StandardCharsets.ISO_8859_1), s);
    }

    void putString(byte[] b, String what) throws BootException {
        if (b.length > MAX_STRING) {
            throw new BootException.InvalidFormat(file + ": string \"" + what + "\" is longer than the " + MAX_STRING
                    + " bytes a linker.hints string can hold");
        }
        put(new byte[] {(byte) b.length});
        put(b);
    }

    /** The record with its length in front, ready to append to the file. */
    byte[] framed() throws BootException {
        align();
        byte[] body = buf.toByteArray();
        HintsRecord out = new HintsRecord(file);
        out.putInt(body.length);
        out.buf.writeBytes(body);
        return out.buf.toByteArray();
    }
}
