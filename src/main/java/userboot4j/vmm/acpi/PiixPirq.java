package userboot4j.vmm.acpi;

import java.util.List;

/**
 * PCI interrupt routing on QEMU's pc machine (i440FX + PIIX3): a device's INTx pin reaches one of PIIX3's
 * four PIRQ lines A–D, and PIIX3's PIRQ route control registers (configuration space of 00:01.0, 0x60–0x63)
 * send each line to an ISA IRQ, which QEMU also wires to the I/O APIC pin of the same number. The DSDT's
 * _PRT and the firmware stub that programs those registers must agree; both take the values here.
 */
public final class PiixPirq {
    /** Configuration-space offset of PIRQRC[A], the route control register for PIRQA; B–D follow. */
    public static final int ROUTE_CONTROL = 0x60;
    /** The ISA IRQ of PIRQA, PIRQB, PIRQC, PIRQD: what SeaBIOS programs on this machine. */
    public static final List<Integer> IRQS = List.of(10, 10, 11, 11);

    private PiixPirq() {
    }

    /**
     * The global system interrupt that INTx {@code pin} (0–3 for INTA–INTD) of a device in {@code slot} on bus
     * 0 raises: QEMU rotates the pins by slot onto PIRQ (slot − 1 + pin) mod 4, so slot 1's INTA is on PIRQA.
     */
    static int gsi(int slot, int pin) {
        return IRQS.get((slot - 1 + pin) & 3);
    }
}
