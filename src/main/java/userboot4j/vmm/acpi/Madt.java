package userboot4j.vmm.acpi;

import java.nio.ByteBuffer;

/**
 * The Multiple APIC Description Table (ACPI 5.2.12) for one vCPU and KVM's in-kernel interrupt
 * controllers: the local APIC (ID 0) at 0xfee00000, the I/O APIC (ID 0, GSI base 0) at 0xfec00000, ISA
 * IRQ 0 routed to GSI 2 (the PIT on the I/O APIC's pin 2), the SCI on IRQ 9 level-triggered, and LINT1 as
 * NMI, as bhyve describes its own.
 */
final class Madt {
    static final long LOCAL_APIC = 0xfee00000L;
    static final long IO_APIC = 0xfec00000L;
    static final int PCAT_COMPAT = 1;
    static final int SCI_IRQ = 9;
    /** MPS INTI flags: polarity (bits 0–1) 01 active high, trigger (bits 2–3) 01 edge or 11 level. */
    static final int ACTIVE_HIGH_EDGE = 0x5;
    static final int ACTIVE_HIGH_LEVEL = 0xd;

    private Madt() {
    }

    static byte[] build() {
        int length = SdtHeader.SIZE + 8 + 8 + 12 + 10 + 10 + 6;
        ByteBuffer b = SdtHeader.table("APIC", length, 1, "BVMADT");
        b.putInt(36, (int) LOCAL_APIC);
        b.putInt(40, PCAT_COMPAT);
        int p = 44;
        // Processor local APIC: type 0, length 8, processor UID 0, APIC ID 0, enabled.
        b.put(p, (byte) 0).put(p + 1, (byte) 8).put(p + 2, (byte) 0).put(p + 3, (byte) 0).putInt(p + 4, 1);
        p += 8;
        // I/O APIC: type 1, length 12, ID 0, address, GSI base 0.
        b.put(p, (byte) 1).put(p + 1, (byte) 12).put(p + 2, (byte) 0).putInt(p + 4, (int) IO_APIC).putInt(p + 8, 0);
        p += 12;
        p = interruptOverride(b, p, 0, 2, ACTIVE_HIGH_EDGE);
        p = interruptOverride(b, p, SCI_IRQ, SCI_IRQ, ACTIVE_HIGH_LEVEL);
        // Local APIC NMI: type 4, length 6, all processors, edge/high, LINT1.
        b.put(p, (byte) 4).put(p + 1, (byte) 6).put(p + 2, (byte) 0xff).putShort(p + 3, (short) ACTIVE_HIGH_EDGE)
                .put(p + 5, (byte) 1);
        return SdtHeader.seal(b);
    }

    /** Interrupt source override: type 2, length 10, ISA bus, source IRQ, GSI, flags. */
    private static int interruptOverride(ByteBuffer b, int p, int irq, int gsi, int flags) {
        b.put(p, (byte) 2).put(p + 1, (byte) 10).put(p + 2, (byte) 0).put(p + 3, (byte) irq).putInt(p + 4, gsi)
                .putShort(p + 8, (short) flags);
        return p + 10;
    }
}
