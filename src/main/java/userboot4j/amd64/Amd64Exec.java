package userboot4j.amd64;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import userboot4j.BootException;
import userboot4j.memory.GuestMemory;

/**
 * The last step of an amd64 boot, as userboot's {@code elf64_exec} and bhyveload's {@code cb_exec} do it:
 * a scratch stack holding modulep and kernend, page tables identity-mapping the first GiB (repeated across
 * the whole address space, so the kernel's high virtual addresses reach it too), a three-entry GDT, and the
 * register state of {@code vm_setup_freebsd_registers}.
 */
public final class Amd64Exec {
    public static final long STACK = 0x1000;
    public static final long PML4 = 0x2000;
    public static final long PDPT = 0x3000;
    public static final long PD = 0x4000;
    public static final long GDT = 0x5000;
    public static final int GDT_SIZE = 3 * 8;

    static final long PG_V = 0x1;
    static final long PG_RW = 0x2;
    static final long PG_PS = 0x80;
    static final long NBPDR = 1L << 21;

    /** Code descriptor: present, DPL 0, execute/read, long mode (L). */
    static final long GDT_CODE = 0x0020980000000000L;
    /** Data descriptor: present, DPL 0, read/write. */
    static final long GDT_DATA = 0x0000900000000000L;

    static final long CR0_PE = 0x1;
    static final long CR0_NE = 0x20;
    static final long CR0_PG = 0x80000000L;
    static final long CR4_PAE = 0x20;
    /** elf64_exec also sets VMXE; vm_setup_freebsd_registers then leaves PAE alone. */
    static final long CR4_VMXE = 0x2000;
    static final long EFER_LME = 0x100;
    static final long EFER_LMA = 0x400;
    static final long PSL_RESERVED = 0x2;

    static final int SEL_CODE = 1 << 3;
    static final int SEL_DATA = 2 << 3;

    /** VMX access rights of the flat segments libvmmapi sets up: present, accessed, code with L set. */
    static final long ACCESS_CODE64 = 0x209b;
    static final long ACCESS_DATA = 0x93;
    static final long ACCESS_TSS64_BUSY = 0x8b;

    private Amd64Exec() {
    }

    /** Writes the boot stack, page tables and GDT and returns the entry state for {@code entry}. */
    public static EntryState exec(GuestMemory mem, long entry, long modulep, long kernend) throws BootException {
        ByteBuffer stack = page();
        stack.putInt(4, (int) modulep);
        stack.putInt(8, (int) kernend);
        mem.copyin(STACK, stack.array());

        ByteBuffer pml4 = page();
        ByteBuffer pdpt = page();
        ByteBuffer pd = page();
        for (int i = 0; i < 512; i++) {
            pml4.putLong(i * 8, PDPT | PG_V | PG_RW);
            pdpt.putLong(i * 8, PD | PG_V | PG_RW);
            pd.putLong(i * 8, i * NBPDR | PG_V | PG_RW | PG_PS);
        }
        mem.copyin(PML4, pml4.array());
        mem.copyin(PDPT, pdpt.array());
        mem.copyin(PD, pd.array());

        ByteBuffer gdt = ByteBuffer.allocate(GDT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        gdt.putLong(8, GDT_CODE);
        gdt.putLong(16, GDT_DATA);
        mem.copyin(GDT, gdt.array());

        Segment data = new Segment(SEL_DATA, 0, 0, ACCESS_DATA);
        return new EntryState(EntryState.Mode.AMD64, entry, STACK, PSL_RESERVED,
                CR0_PG | CR0_PE | CR0_NE, PML4, CR4_PAE, EFER_LME | EFER_LMA,
                GDT, GDT_SIZE - 1,
                new Segment(SEL_CODE, 0, 0, ACCESS_CODE64), data, data, data, data, data,
                new Segment(0, 0, 0, ACCESS_TSS64_BUSY), new Segment(0, 0, 0, Segment.DESC_UNUSABLE));
    }

    /**
     * elf64_exec's register callbacks: the stack, EFER, CR4, CR3, CR0 and the GDT, then exec at the entry.
     */
    static List<LoaderCall> loaderCalls(EntryState e) {
        return List.of(new LoaderCall.SetReg(LoaderCall.REG_RSP, STACK),
                new LoaderCall.SetMsr(LoaderCall.MSR_EFER, EFER_LME | EFER_LMA),
                new LoaderCall.SetCr(4, CR4_PAE | CR4_VMXE),
                new LoaderCall.SetCr(3, PML4),
                new LoaderCall.SetCr(0, CR0_PG | CR0_PE | CR0_NE),
                new LoaderCall.SetGdt(GDT, GDT_SIZE),
                new LoaderCall.Exec(e.rip()));
    }

    private static ByteBuffer page() {
        return ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    }
}
