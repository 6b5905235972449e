package userboot4j.vmm.acpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Root System Description Pointer, revision 2 (ACPI 5.2.5): found by the kernel's scan of the BIOS
 * area, it points to the RSDT and the XSDT. Two checksums: the first 20 bytes, and all 36.
 */
final class Rsdp {
    static final int SIZE = 36;

    private Rsdp() {
    }

    static byte[] build(long rsdt, long xsdt) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, SdtHeader.ascii("RSD PTR ", 8));
        b.put(9, SdtHeader.ascii(SdtHeader.OEM_ID, 6));
        b.put(15, (byte) 2);
        b.putInt(16, (int) rsdt);
        b.putInt(20, SIZE);
        b.putLong(24, xsdt);
        SdtHeader.seal(b, 8, 20);
        return SdtHeader.seal(b, 32, SIZE);
    }
}
