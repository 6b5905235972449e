package userboot4j.vmm.acpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The Firmware ACPI Control Structure (ACPI 5.2.10): 64 bytes, no checksum, nothing to wake from. */
final class Facs {
    static final int SIZE = 64;
    static final int VERSION = 2;

    private Facs() {
    }

    static byte[] build() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, SdtHeader.ascii("FACS", 4));
        b.putInt(4, SIZE);
        b.put(32, (byte) VERSION);
        return b.array();
    }
}
