package userboot4j.amd64;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import userboot4j.BootException;
import userboot4j.memory.GuestMemory;

/**
 * The last step of an i386 boot: userboot's {@code elf32_exec} builds a stack holding the old boot-block
 * arguments, and bhyveload, seeing that no CR3 was set, calls {@code vm_setup_freebsd_registers_i386},
 * which writes a flat four-entry GDT (with a TSS a page above it) and starts the vCPU in 32-bit protected
 * mode without paging.
 */
public final class I386Exec {
    public static final long STACK = 0x1000;
    public static final long GDT = 0x3000;
    public static final int GDT_SIZE = 4 * 8;
    static final long TSS = GDT + 0x1000;
    static final int TSS_SIZE = 104;
    /** Fake return address, as the "new" boot blocks leave it (see recover_bootinfo in i386 locore). */
    static final int FAKE_RETURN = 0xbeefface;
    /** Physical entry: the loader keeps the low 24 bits of e_entry. */
    static final long ENTRY_MASK = 0xffffff;

    static final long CR0_PE = 0x1;
    static final long CR0_NE = 0x20;
    static final long SDT_SYS386TSS = 9;
    static final long SDT_SYS386BSY = 11;
    static final long SDT_MEMRW = 0x12;
    static final long SDT_MEMRWA = 0x13;
    static final long SDT_MEMER = 0x1a;
    static final long SDT_MEMERA = 0x1b;
    static final long DESC_PRESENT = 0x80;
    static final long DESC_DEF32 = 0x4000;
    static final long DESC_GRAN = 0x8000;

    private I386Exec() {
    }

    /**
     * Writes the stack and the GDT and returns the entry state. The stack's words from ESP up: fake return
     * address, howto, bootdev (0), three zeros, the bootinfo address, modulep, kernend.
     */
    public static EntryState exec(GuestMemory mem, long elfEntry, int howto, long bootinfo, long modulep,
            long kernend) throws BootException {
        int[] words = {FAKE_RETURN, howto, 0, 0, 0, 0, (int) bootinfo, (int) modulep, (int) kernend};
        ByteBuffer stack = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        int sp = 4096 - 4 * words.length;
        for (int i = 0; i < words.length; i++) {
            stack.putInt(sp + 4 * i, words[i]);
        }
        mem.copyin(STACK, stack.array());

        ByteBuffer gdt = ByteBuffer.allocate(GDT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        gdt.putLong(8, descriptor(0, 0xfffff, SDT_MEMER, true));
        gdt.putLong(16, descriptor(0, 0xfffff, SDT_MEMRW, true));
        gdt.putLong(24, descriptor(TSS, TSS_SIZE - 1, SDT_SYS386TSS, false));
        mem.copyin(GDT, gdt.array());

        Segment data = new Segment(2 << 3, 0, 0xffffffffL, DESC_GRAN | DESC_DEF32 | DESC_PRESENT | SDT_MEMRWA);
        return new EntryState(EntryState.Mode.I386, elfEntry & ENTRY_MASK, STACK + sp, 0x2,
                CR0_PE | CR0_NE, 0, 0, 0, GDT, GDT_SIZE - 1,
                new Segment(1 << 3, 0, 0xffffffffL, DESC_GRAN | DESC_DEF32 | DESC_PRESENT | SDT_MEMERA),
                data, data, data, data, data,
                new Segment(3 << 3, TSS, TSS_SIZE - 1, DESC_PRESENT | SDT_SYS386BSY),
                new Segment(0, 0, 0, Segment.DESC_UNUSABLE));
    }

    /**
     * elf32_exec's register callbacks: the stack pointer, the GDT (it passes the limit as the size, so
     * bhyveload's GDTR limit is one short until vm_setup_freebsd_registers_i386 rewrites it), exec.
     */
    static List<LoaderCall> loaderCalls(EntryState e) {
        return List.of(new LoaderCall.SetReg(LoaderCall.REG_RSP, e.rsp()),
                new LoaderCall.SetGdt(GDT, GDT_SIZE - 1),
                new LoaderCall.Exec(e.rip()));
    }

    /**
     * A present, DPL 0 segment descriptor (struct segment_descriptor): limit 0–15, base 0–23, type (with the
     * S bit), DPL, P, limit 16–19, then for flat segments 32-bit default size and 4 KiB granularity.
     */
    static long descriptor(long base, long limit, long type, boolean flat32) {
        long d = (limit & 0xffff) | (base & 0xffffff) << 16 | type << 40 | 1L << 47 | ((limit >> 16) & 0xf) << 48;
        if (flat32) {
            d |= 1L << 54 | 1L << 55;
        }
        return d | ((base >> 24) & 0xff) << 56;
    }
}
