package userboot4j.vmm.acpi;

import java.nio.ByteBuffer;

/**
 * The Fixed ACPI Description Table, revision 6 (ACPI 5.2.9), of a hardware-reduced platform: no PM timer
 * or fixed-feature registers, just the SCI number and the addresses of the FACS and the DSDT (32- and
 * 64-bit fields both filled).
 */
final class Fadt {
    static final int SIZE = 276;
    static final int REVISION = 6;
    static final int MINOR_REVISION = 1;
    static final int HW_REDUCED_ACPI = 1 << 20;
    /** IA-PC boot architecture flag: no VGA (bit 2). */
    static final int VGA_NOT_PRESENT = 1 << 2;

    private Fadt() {
    }

    static byte[] build(long facs, long dsdt) {
        ByteBuffer b = SdtHeader.table("FACP", SIZE, REVISION, "BVFACP");
        b.putInt(36, (int) facs);
        b.putInt(40, (int) dsdt);
        b.putShort(46, (short) Madt.SCI_IRQ);
        b.putShort(109, (short) VGA_NOT_PRESENT);
        b.putInt(112, HW_REDUCED_ACPI);
        b.put(131, (byte) MINOR_REVISION);
        b.putLong(132, facs);
        b.putLong(140, dsdt);
        return SdtHeader.seal(b);
    }
}
