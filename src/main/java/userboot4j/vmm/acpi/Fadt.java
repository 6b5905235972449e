package userboot4j.vmm.acpi;

import java.nio.ByteBuffer;

/**
 * The Fixed ACPI Description Table, revision 6 (ACPI 5.2.9), of a hardware-reduced platform: no PM timer
 * or fixed-feature registers, just the SCI number, the addresses of the FACS and the DSDT (32- and 64-bit
 * fields both filled), and three one-byte I/O registers through which the guest ends the machine.
 * <p>
 * On a hardware-reduced platform ACPICA powers off by writing WAK_STS to the Sleep Status Register, then
 * SLP_TYP (from {@code \_S5}) and SLP_EN to the Sleep Control Register; FreeBSD reboots by writing
 * RESET_VALUE to the Reset Register, which it uses by default when RESET_REG_SUP is set. An engine ends the
 * run on the control and reset ports, never on the status port, which is written first (QEMU's
 * isa-debug-exit spans two ports unless given iosize=1).
 */
public final class Fadt {
    /** Sleep Control Register: SLP_EN ends the machine in the state SLP_TYP names. */
    public static final int SLEEP_CONTROL_PORT = 0x404;
    /** Sleep Status Register: WAK_STS (bit 7), written 1 to clear before sleeping. */
    public static final int SLEEP_STATUS_PORT = 0x405;
    public static final int RESET_PORT = 0x406;
    /** SLP_EN (bit 5) with SLP_TYP 5 in bits 4–2: what ACPICA writes to power off. */
    public static final int S5_SLEEP_CONTROL_VALUE = 1 << 5 | Dsdt.S5_SLP_TYP << 2;
    public static final int RESET_VALUE = 1;

    static final int SIZE = 276;
    static final int REVISION = 6;
    static final int MINOR_REVISION = 1;
    /** Flags: the Reset Register is there (bit 10); hardware-reduced ACPI (bit 20). */
    static final int RESET_REG_SUP = 1 << 10;
    static final int HW_REDUCED_ACPI = 1 << 20;
    /** IA-PC boot architecture flag: no VGA (bit 2). */
    static final int VGA_NOT_PRESENT = 1 << 2;
    private static final int SYSTEM_IO = 1;
    private static final int BYTE_ACCESS = 1;

    private Fadt() {
    }

    static byte[] build(long facs, long dsdt) {
        ByteBuffer b = SdtHeader.table("FACP", SIZE, REVISION, "BVFACP");
        b.putInt(36, (int) facs);
        b.putInt(40, (int) dsdt);
        b.putShort(46, (short) Madt.SCI_IRQ);
        b.putShort(109, (short) VGA_NOT_PRESENT);
        b.putInt(112, HW_REDUCED_ACPI | RESET_REG_SUP);
        ioByte(b, 116, RESET_PORT);
        b.put(128, (byte) RESET_VALUE);
        b.put(131, (byte) MINOR_REVISION);
        b.putLong(132, facs);
        b.putLong(140, dsdt);
        ioByte(b, 244, SLEEP_CONTROL_PORT);
        ioByte(b, 256, SLEEP_STATUS_PORT);
        return SdtHeader.seal(b);
    }

    /** A Generic Address Structure (ACPI 5.2.3.2) for one byte at an I/O port: SystemIO, 8 bits, byte access. */
    private static void ioByte(ByteBuffer b, int at, int port) {
        b.put(at, (byte) SYSTEM_IO).put(at + 1, (byte) 8).put(at + 2, (byte) 0).put(at + 3, (byte) BYTE_ACCESS)
                .putLong(at + 4, port);
    }
}
