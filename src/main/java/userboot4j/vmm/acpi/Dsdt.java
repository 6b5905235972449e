package userboot4j.vmm.acpi;

import java.nio.ByteBuffer;

/**
 * The Differentiated System Description Table (ACPI 5.2.11.1): the AML description of the platform's
 * devices. Under ACPI FreeBSD finds PCI only through a host bridge declared here, so it describes QEMU's pc
 * machine: {@code \_SB.PCI0} (i440FX) with its windows and a static _PRT for PIIX3's interrupt routing, and
 * under it {@code ISA} (PIIX3, 00:01.0) with COM1 and COM2, where bhyve's DSDT puts its LPC serial ports;
 * FreeBSD's uart attaches to them by _HID ({@code hint.uart.0.at="acpi"} in 15.1 needs it). {@code \_S5}
 * gives ACPI power-off its SLP_TYP. Under {@code run}, whose PCI configuration space has no device, the
 * bridge finds an empty bus.
 */
final class Dsdt {
    static final int REVISION = 2;
    /** SLP_TYP for S5 (soft off), in both halves of {@code \_S5}; the Sleep Control Register takes it. */
    static final int S5_SLP_TYP = 5;
    /** The 32-bit window for BARs: above 3 GiB of RAM (QEMU's max-ram-below-4g=3G), below the I/O APIC. */
    static final long PCI_HOLE_START = 0xc0000000L;
    static final long PCI_HOLE_END = 0xfebfffffL;
    /** PIIX3's function 0, the PCI-to-ISA bridge, as _ADR: slot 1 in the high word. */
    static final int PIIX3_ADR = 0x00010000;

    private Dsdt() {
    }

    static byte[] build() {
        byte[] s5 = Aml.pkg(Aml.integer(S5_SLP_TYP), Aml.integer(S5_SLP_TYP), Aml.integer(0), Aml.integer(0));
        byte[] aml = Aml.concat(Aml.name("_S5", s5), Aml.scope("\\_SB", pci0()));
        ByteBuffer b = SdtHeader.table("DSDT", SdtHeader.SIZE + aml.length, REVISION, "BVDSDT");
        b.put(SdtHeader.SIZE, aml);
        return SdtHeader.seal(b);
    }

    private static byte[] pci0() {
        return Aml.device("PCI0",
                Aml.name("_HID", Aml.eisaId("PNP0A03")),
                Aml.name("_ADR", Aml.integer(0)),
                Aml.name("_UID", Aml.integer(0)),
                Aml.name("_BBN", Aml.integer(0)),
                Aml.name("_CRS", ResourceTemplate.of(
                        ResourceTemplate.wordBusNumber(0, 0xff),
                        ResourceTemplate.io(0xcf8, 8),
                        ResourceTemplate.wordIo(0, 0xcf7),
                        ResourceTemplate.wordIo(0xd00, 0xffff),
                        ResourceTemplate.dwordMemory(ResourceTemplate.CACHEABLE_READ_WRITE, 0xa0000, 0xbffff),
                        ResourceTemplate.dwordMemory(ResourceTemplate.READ_WRITE, PCI_HOLE_START, PCI_HOLE_END))),
                Aml.name("_PRT", prt()),
                Aml.device("ISA",
                        Aml.name("_ADR", Aml.integer(PIIX3_ADR)),
                        com(1, 0x3f8, 4),
                        com(2, 0x2f8, 3)));
    }

    /**
     * {address 0xSSSSFFFF, pin, source 0, GSI} for INTA–INTD of slots 1–31: with source 0 the last field is
     * the interrupt itself, no link device. FreeBSD then programs the I/O APIC pin level-triggered and
     * active-low, as ACPI says of such interrupts, while PIIX3 drives it active-high; that still works
     * because neither QEMU's I/O APIC nor KVM's in-kernel one looks at the polarity bit.
     */
    private static byte[] prt() {
        byte[][] entries = new byte[31 * 4][];
        for (int slot = 1; slot <= 31; slot++) {
            for (int pin = 0; pin < 4; pin++) {
                entries[(slot - 1) * 4 + pin] = Aml.pkg(Aml.integer((long) slot << 16 | 0xffff), Aml.integer(pin),
                        Aml.integer(0), Aml.integer(PiixPirq.gsi(slot, pin)));
            }
        }
        return Aml.pkg(entries);
    }

    /** A 16550 serial port: PNP0501, eight ports, an ISA IRQ; _UID is its COM number. */
    private static byte[] com(int n, int port, int irq) {
        return Aml.device("COM" + n,
                Aml.name("_HID", Aml.eisaId("PNP0501")),
                Aml.name("_UID", Aml.integer(n)),
                Aml.name("_CRS", ResourceTemplate.of(ResourceTemplate.io(port, 8), ResourceTemplate.irqNoFlags(irq))));
    }
}
