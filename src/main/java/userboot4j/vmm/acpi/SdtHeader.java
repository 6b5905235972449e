package userboot4j.vmm.acpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The 36-byte header every ACPI system description table starts with (ACPI 6.x, 5.2.6): signature,
 * length, revision, checksum (the table's bytes sum to zero), OEM and creator identification.
 */
final class SdtHeader {
    static final int SIZE = 36;
    static final String OEM_ID = "BHYVE ";
    static final String CREATOR_ID = "U4J ";
    static final int CREATOR_REVISION = 1;
    private static final int LENGTH = 4;
    private static final int CHECKSUM = 9;

    private SdtHeader() {
    }

    /** A zeroed table of {@code length} bytes with its header filled in (checksum done by {@link #seal}). */
    static ByteBuffer table(String signature, int length, int revision, String oemTableId) {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, ascii(signature, 4));
        b.putInt(LENGTH, length);
        b.put(8, (byte) revision);
        b.put(10, ascii(OEM_ID, 6));
        b.put(16, ascii(oemTableId, 8));
        b.putInt(24, 1);
        b.put(28, ascii(CREATOR_ID, 4));
        b.putInt(32, CREATOR_REVISION);
        return b;
    }

    /** Sets the checksum byte at {@code at} so that bytes [0, length) sum to zero; returns the bytes. */
    static byte[] seal(ByteBuffer b, int at, int length) {
        b.put(at, (byte) 0);
        int sum = 0;
        for (int i = 0; i < length; i++) {
            sum += b.get(i);
        }
        b.put(at, (byte) -sum);
        return b.array();
    }

    static byte[] seal(ByteBuffer b) {
        return seal(b, CHECKSUM, b.capacity());
    }

    static byte[] ascii(String s, int width) {
        byte[] out = new byte[width];
        byte[] in = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(in, 0, out, 0, Math.min(width, in.length));
        for (int i = in.length; i < width; i++) {
            out[i] = ' ';
        }
        return out;
    }
}
