package userboot4j.vmm.qemu;

import userboot4j.vmm.acpi.PiixPirq;

/**
 * What the entry stub writes for PCI interrupts, as SeaBIOS does on this machine: PIIX3's PIRQ route
 * registers with the IRQs the DSDT's {@code _PRT} names ({@link PiixPirq}), and those IRQs marked
 * level-triggered in the ELCR (it matters to a guest that uses the 8259s).
 */
final class PciRouting {
    private PciRouting() {
    }

    /** Registers 0x60–0x63 as one little-endian 32-bit value. */
    static int pirqRegisters() {
        int v = 0;
        for (int i = 0; i < PiixPirq.IRQS.size(); i++) {
            v |= PiixPirq.IRQS.get(i) << (8 * i);
        }
        return v;
    }

    /** The edge/level control bits, one per ISA IRQ (ports 0x4d0 and 0x4d1). */
    static int elcr() {
        int v = 0;
        for (int irq : PiixPirq.IRQS) {
            v |= 1 << irq;
        }
        return v;
    }
}
