package userboot4j.vmm.qemu;

/**
 * PCI interrupt routing on QEMU's i440FX: PIIX3 sends PIRQA–D to the ISA IRQs its configuration
 * registers 0x60–0x63 name. The entry stub programs them as SeaBIOS does, and marks those IRQs
 * level-triggered in the ELCR; the DSDT's {@code _PRT} must name the same IRQs.
 */
final class PciRouting {
    /** The IRQ of PIRQA, B, C and D. */
    static final int[] PIRQ_IRQ = {10, 10, 11, 11};

    private PciRouting() {
    }

    /** Registers 0x60–0x63 as one little-endian 32-bit value. */
    static int pirqRegisters() {
        int v = 0;
        for (int i = 0; i < PIRQ_IRQ.length; i++) {
            v |= PIRQ_IRQ[i] << (8 * i);
        }
        return v;
    }

    /** The edge/level control bits, one per ISA IRQ (ports 0x4d0 and 0x4d1). */
    static int elcr() {
        int v = 0;
        for (int irq : PIRQ_IRQ) {
            v |= 1 << irq;
        }
        return v;
    }
}
