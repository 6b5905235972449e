package userboot4j.vmm.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import userboot4j.BootException;
import userboot4j.amd64.EntryState;
import userboot4j.amd64.Segment;
import userboot4j.vmm.acpi.AcpiTables;

/**
 * The BIOS image QEMU starts from ({@code -bios}): 128 KiB that QEMU maps below 4 GiB and again at
 * 0xe0000–0xfffff. It holds the ACPI tables where bhyve puts them and, in its last page, the entry stub
 * (src/main/asm/qemu-entry.S) that takes the vCPU from the reset vector to the loader's entry state,
 * which QEMU cannot be given from outside.
 */
public final class Firmware {
    public static final int SIZE = 128 * 1024;
    /** Where the image appears in the first MiB. */
    static final long BASE = 0xe0000;
    static final long STUB = 0xff000;
    static final int STUB_SIZE = 4096;
    static final long PARAMS = 0xff800;

    static final int P_MODE = 0x00;
    static final int P_CR0 = 0x08;
    static final int P_CR3 = 0x10;
    static final int P_CR4 = 0x18;
    static final int P_EFER = 0x20;
    static final int P_GDTR = 0x28;
    static final int P_RIP = 0x30;
    static final int P_RSP = 0x38;
    static final int P_RFLAGS = 0x40;
    static final int P_PIRQ = 0x48;
    static final int P_ELCR = 0x4c;

    /** The selectors the stub's own GDT and far jumps use; the loader's state must use the same. */
    static final int SEL_CODE = 0x08;
    static final int SEL_DATA = 0x10;

    private Firmware() {
    }

    /** The image for {@code entry}: tables, stub and the stub's parameters. */
    public static byte[] build(EntryState entry) throws BootException {
        checkSelectors(entry);
        byte[] image = new byte[SIZE];
        for (Map.Entry<Long, byte[]> t : AcpiTables.build().entrySet()) {
            System.arraycopy(t.getValue(), 0, image, (int) (t.getKey() - BASE), t.getValue().length);
        }
        System.arraycopy(stub(), 0, image, (int) (STUB - BASE), STUB_SIZE);
        ByteBuffer p = ByteBuffer.wrap(image, (int) (PARAMS - BASE), 0x50).slice().order(ByteOrder.LITTLE_ENDIAN);
        p.putInt(P_MODE, entry.mode() == EntryState.Mode.AMD64 ? 0 : 1);
        p.putLong(P_CR0, entry.cr0());
        p.putLong(P_CR3, entry.cr3());
        p.putLong(P_CR4, entry.cr4());
        p.putLong(P_EFER, entry.efer());
        p.putShort(P_GDTR, (short) entry.gdtrLimit());
        p.putInt(P_GDTR + 2, (int) entry.gdtrBase());
        p.putLong(P_RIP, entry.rip());
        p.putLong(P_RSP, entry.rsp());
        p.putLong(P_RFLAGS, entry.rflags());
        p.putInt(P_PIRQ, PciRouting.pirqRegisters());
        p.putShort(P_ELCR, (short) PciRouting.elcr());
        return image;
    }

    private static void checkSelectors(EntryState e) throws BootException {
        boolean same = e.cs().selector() == SEL_CODE;
        for (Segment s : new Segment[] {e.ds(), e.es(), e.fs(), e.gs(), e.ss()}) {
            same &= s.selector() == SEL_DATA;
        }
        if (!same || e.gdtrBase() + e.gdtrLimit() >= 1L << 32) {
            throw new BootException(userboot4j.Sysexits.EX_SOFTWARE,
                    "QEMU firmware: the entry state's selectors or GDT are not the loader's (CS 0x8, data 0x10, GDT below 4 GiB)");
        }
    }

    private static byte[] stub() {
        try (InputStream in = Firmware.class.getResourceAsStream("entry.bin")) {
            byte[] b = in == null ? new byte[0] : in.readAllBytes();
            if (b.length != STUB_SIZE) {
                throw new IllegalStateException("entry.bin is missing from the build or not one page");
            }
            return b;
        } catch (IOException e) {
            throw new IllegalStateException("entry.bin cannot be read", e);
        }
    }
}
