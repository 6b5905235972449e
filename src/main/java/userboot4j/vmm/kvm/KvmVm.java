package userboot4j.vmm.kvm;

import userboot4j.vmm.RunResult;
import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import userboot4j.BootException;
import userboot4j.BootImage;
import userboot4j.Sysexits;
import userboot4j.amd64.EntryState;
import userboot4j.amd64.Segment;
import userboot4j.memory.MemoryLayout;
import userboot4j.vmm.Vmm;
import userboot4j.vmm.acpi.AcpiTables;
import userboot4j.vmm.kvm.dev.IoBus;

/**
 * A one-vCPU virtual machine on Linux KVM: guest memory split as {@code vm_setup_memory} splits it, the
 * in-kernel interrupt controllers and PIT, the host's supported CPUID, a BootImage copied in and its entry
 * state applied, and a run loop that hands port I/O to an {@link IoBus}.
 */
public final class KvmVm implements Vmm {
    public static final String DEVICE = "/dev/kvm";
    /** The port the probe kernel writes its verdict to; the run ends there. */
    public static final int EXIT_PORT = 0x501;
    static final int MAX_CPUID = 256;
    /** How often a running vCPU is interrupted to check for a halt and the time limit. */
    static final long TICK_MILLIS = 200;

    private static final LibC C = LibC.INSTANCE;

    private final MemoryLayout layout;
    private int kvm = -1;
    private int vm = -1;
    private int vcpu = -1;
    private Pointer low;
    private Pointer high;
    private Pointer run;
    private long runSize;
    private InstructionEmulator emulator;

    private KvmVm(MemoryLayout layout) {
        this.layout = layout;
    }

    /** True when /dev/kvm can be opened here. */
    public static boolean available() {
        return unavailable() == null;
    }

    /** Why /dev/kvm cannot be opened here, in words for the user; null when it can. */
    public static String unavailable() {
        try {
            int fd = C.open(DEVICE, LibC.O_RDWR | LibC.O_CLOEXEC);
            C.close(fd);
            return null;
        } catch (LastErrorException e) {
            return switch (e.getErrorCode()) {
                case LibC.ENOENT -> "there is no " + DEVICE + " (no hardware virtualisation, or kvm_intel/kvm_amd"
                        + " not loaded)";
                case LibC.EACCES -> DEVICE + " is not open to this user (add it to the kvm group)";
                default -> DEVICE + " cannot be opened: " + e.getMessage();
            };
        } catch (UnsatisfiedLinkError e) {
            return DEVICE + " cannot be opened: no Linux C library here";
        }
    }

    public static KvmVm create(MemoryLayout layout) throws BootException {
        KvmVm m = new KvmVm(layout);
        try {
            m.setUp();
            return m;
        } catch (LastErrorException e) {
            m.close();
            throw new BootException(Sysexits.EX_UNAVAILABLE, "KVM: cannot set up the VM: " + e.getMessage());
        } catch (BootException e) {
            m.close();
            throw e;
        }
    }

    private void setUp() throws BootException {
        kvm = C.open(DEVICE, LibC.O_RDWR | LibC.O_CLOEXEC);
        int version = C.ioctl(kvm, KvmApi.GET_API_VERSION, 0L);
        if (version != KvmApi.API_VERSION) {
            throw new BootException(Sysexits.EX_UNAVAILABLE, "KVM: API version " + version + ", expected 12");
        }
        vm = C.ioctl(kvm, KvmApi.CREATE_VM, 0L);
        C.ioctl(vm, KvmApi.SET_TSS_ADDR, KvmApi.TSS_ADDR);
        Memory identity = new Memory(8);
        identity.setLong(0, KvmApi.IDENTITY_MAP_ADDR);
        C.ioctl(vm, KvmApi.SET_IDENTITY_MAP_ADDR, identity);
        C.ioctl(vm, KvmApi.CREATE_IRQCHIP, 0L);
        C.ioctl(vm, KvmApi.CREATE_PIT2, zeroed(KvmApi.PIT_CONFIG_SIZE));
        low = map(layout.lowmem());
        region(0, 0, layout.lowmem(), low);
        if (layout.highmem() > 0) {
            high = map(layout.highmem());
            region(1, MemoryLayout.HIGHMEM_BASE, layout.highmem(), high);
        }
        vcpu = C.ioctl(vm, KvmApi.CREATE_VCPU, 0L);
        Memory cpuid = zeroed(8 + MAX_CPUID * KvmApi.CPUID_ENTRY_SIZE);
        cpuid.setInt(0, MAX_CPUID);
        C.ioctl(kvm, KvmApi.GET_SUPPORTED_CPUID, cpuid);
        Cpuid leaves = new Cpuid(cpuid);
        leaves.asBhyveGuest(C.ioctl(vcpu, KvmApi.GET_TSC_KHZ, 0L));
        C.ioctl(vcpu, KvmApi.SET_CPUID2, leaves.toNative());
        emulator = new InstructionEmulator(vcpu, physical(), leaves.xsaveOffsets(), leaves.xsaveSizes());
        runSize = C.ioctl(kvm, KvmApi.GET_VCPU_MMAP_SIZE, 0L);
        run = C.mmap(null, runSize, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, vcpu, 0);
    }

    private static Memory zeroed(int size) {
        Memory m = new Memory(size);
        m.clear();
        return m;
    }

    private static Pointer map(long size) {
        return C.mmap(null, size, LibC.PROT_READ | LibC.PROT_WRITE,
                LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_NORESERVE, -1, 0);
    }

    private void region(int slot, long gpa, long size, Pointer host) {
        Memory r = zeroed(KvmApi.MEMORY_REGION_SIZE);
        r.setInt(0, slot);
        r.setLong(8, gpa);
        r.setLong(16, size);
        r.setLong(24, Pointer.nativeValue(host));
        C.ioctl(vm, KvmApi.SET_USER_MEMORY_REGION, r);
    }

    /** Copies the image's pages into guest memory and sets the vCPU to its entry state. */
    @Override
    public void load(BootImage image) throws BootException {
        for (BootImage.Run run : image.runs()) {
            if (!layout.contains(run.gpa(), run.size())) {
                throw new BootException.GuestMemory(String.format("pages at 0x%x-0x%x are outside guest memory",
                        run.gpa(), run.gpa() + run.size() - 1));
            }
            Pointer at = run.gpa() < MemoryLayout.HIGHMEM_BASE ? low.share(run.gpa())
                    : high.share(run.gpa() - MemoryLayout.HIGHMEM_BASE);
            long offset = 0;
            for (byte[] page : run.pages()) {
                at.write(offset, page, 0, page.length);
                offset += page.length;
            }
        }
        for (Map.Entry<Long, byte[]> t : AcpiTables.build().entrySet()) {
            low.write(t.getKey(), t.getValue(), 0, t.getValue().length);
        }
        setEntry(image.entry());
    }

    /** Guest physical memory for the instruction emulator, bounds-checked. */
    private InstructionEmulator.PhysicalMemory physical() {
        return new InstructionEmulator.PhysicalMemory() {
            private Pointer at(long gpa, int len) throws InstructionEmulator.Unsupported {
                if (gpa >= 0 && len <= layout.lowmem() && gpa <= layout.lowmem() - len) {
                    return low.share(gpa);
                }
                long h = gpa - MemoryLayout.HIGHMEM_BASE;
                if (high != null && h >= 0 && len <= layout.highmem() && h <= layout.highmem() - len) {
                    return high.share(h);
                }
                throw new InstructionEmulator.Unsupported(String.format(
                        "guest physical 0x%x (+%d) is outside guest memory", gpa, len));
            }

            @Override
            public byte[] read(long gpa, int len) throws InstructionEmulator.Unsupported {
                return at(gpa, len).getByteArray(0, len);
            }

            @Override
            public void write(long gpa, byte[] data) throws InstructionEmulator.Unsupported {
                at(gpa, data.length).write(0, data, 0, data.length);
            }
        };
    }

    /**
     * For tests: finishes the port I/O the last exit left pending (KVM completes it on the next KVM_RUN,
     * which {@code immediate_exit} ends at once), then carries out the instruction at RIP with the
     * fallback emulator, as if KVM had failed to emulate it.
     */
    void emulateNext() throws InstructionEmulator.Unsupported {
        run.setByte(KvmApi.RUN_IMMEDIATE_EXIT, (byte) 1);
        try {
            C.ioctl(vcpu, KvmApi.RUN, 0L);
        } catch (LastErrorException e) {
            // EINTR: the pending I/O is complete and RIP is past it
        }
        run.setByte(KvmApi.RUN_IMMEDIATE_EXIT, (byte) 0);
        emulator.emulate();
    }

    /** How many instructions of each kind the fallback emulator carried out for the guest. */
    public java.util.Map<InstructionEmulator.Op, Integer> emulated() {
        return emulator.counts();
    }

    /** vm_setup_freebsd_registers (or its i386 variant) in KVM's terms. */
    void setEntry(EntryState e) throws BootException {
        try {
            Memory s = new Memory(KvmApi.SREGS_SIZE);
            C.ioctl(vcpu, KvmApi.GET_SREGS, s);
            Segment[] segs = {e.cs(), e.ds(), e.es(), e.fs(), e.gs(), e.ss(), e.tr(), e.ldtr()};
            for (int i = 0; i < segs.length; i++) {
                KvmSegments.write(s, (long) i * KvmApi.SEGMENT_SIZE, segs[i]);
            }
            s.setLong(KvmApi.SREGS_GDT, e.gdtrBase());
            s.setShort(KvmApi.SREGS_GDT + 8, (short) e.gdtrLimit());
            s.setLong(KvmApi.SREGS_CR0, e.cr0());
            s.setLong(KvmApi.SREGS_CR3, e.cr3());
            s.setLong(KvmApi.SREGS_CR4, e.cr4());
            s.setLong(KvmApi.SREGS_EFER, e.efer());
            C.ioctl(vcpu, KvmApi.SET_SREGS, s);
            Memory r = zeroed(KvmApi.REGS_SIZE);
            r.setLong(KvmApi.REG_RIP, e.rip());
            r.setLong(KvmApi.REG_RSP, e.rsp());
            r.setLong(KvmApi.REG_RFLAGS, e.rflags());
            C.ioctl(vcpu, KvmApi.SET_REGS, r);
        } catch (LastErrorException ex) {
            throw new BootException(Sysexits.EX_SOFTWARE, "KVM: cannot set the entry state: " + ex.getMessage());
        }
    }

    /**
     * Runs the vCPU until the guest writes the exit port, powers off or asks for a reboot, stops, or
     * {@code timeoutMillis} pass. A watchdog interrupts KVM_RUN every {@link #TICK_MILLIS} ms so that a
     * guest halted with interrupts off (which the in-kernel interrupt controller never returns to us) and
     * the time limit are both noticed.
     */
    public RunResult run(IoBus bus, long timeoutMillis) {
        return run(bus, timeoutMillis, () -> false);
    }

    /** As {@link #run(IoBus, long)}, also ending, with {@code SCRIPT_DONE}, once {@code done} is true. */
    public RunResult run(IoBus bus, long timeoutMillis, java.util.function.BooleanSupplier scriptDone) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        long self = C.pthread_self();
        AtomicBoolean done = new AtomicBoolean();
        Thread watchdog = new Thread(() -> {
            while (!done.get()) {
                try {
                    Thread.sleep(TICK_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                if (!done.get()) {
                    run.setByte(KvmApi.RUN_IMMEDIATE_EXIT, (byte) 1);
                    C.pthread_kill(self, LibC.SIGPIPE);
                }
            }
        }, "userboot4j-kvm-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            return loop(bus, deadline, scriptDone);
        } finally {
            done.set(true);
            watchdog.interrupt();
        }
    }

    private RunResult loop(IoBus bus, long deadline, java.util.function.BooleanSupplier scriptDone) {
        while (true) {
            if (scriptDone.getAsBoolean()) {
                return end(RunResult.Outcome.SCRIPT_DONE, 0, "the console script ran to its end");
            }
            int reason;
            try {
                C.ioctl(vcpu, KvmApi.RUN, 0L);
                reason = run.getInt(KvmApi.RUN_EXIT_REASON);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != 4 && e.getErrorCode() != 11) { // EINTR, EAGAIN
                    return end(RunResult.Outcome.INTERNAL_ERROR, 0, "KVM_RUN failed: " + e.getMessage());
                }
                reason = KvmApi.EXIT_INTR;
            }
            switch (reason) {
                case KvmApi.EXIT_IO -> {
                    RunResult r = io(bus);
                    if (r != null) {
                        return r;
                    }
                }
                case KvmApi.EXIT_INTR -> {
                    run.setByte(KvmApi.RUN_IMMEDIATE_EXIT, (byte) 0);
                    if (haltedForGood()) {
                        return end(RunResult.Outcome.HALTED, 0, "the guest halted with interrupts disabled");
                    }
                    if (System.nanoTime() - deadline > 0) {
                        return end(RunResult.Outcome.TIMEOUT, 0, "the time limit passed");
                    }
                }
                case KvmApi.EXIT_HLT -> {
                    return end(RunResult.Outcome.HALTED, 0, "the guest halted");
                }
                case KvmApi.EXIT_SHUTDOWN -> {
                    return end(RunResult.Outcome.SHUTDOWN, 0, "the guest shut down (triple fault)");
                }
                case KvmApi.EXIT_FAIL_ENTRY -> {
                    return end(RunResult.Outcome.FAIL_ENTRY, 0, String.format(
                            "the CPU refused to enter the guest (hardware reason 0x%x)",
                            run.getLong(KvmApi.RUN_FAIL_ENTRY_REASON)));
                }
                case KvmApi.EXIT_INTERNAL_ERROR -> {
                    if (run.getInt(KvmApi.RUN_INTERNAL_SUBERROR) != KvmApi.INTERNAL_ERROR_EMULATION) {
                        return end(RunResult.Outcome.INTERNAL_ERROR, 0, internalError());
                    }
                    try {
                        emulator.emulate();
                    } catch (InstructionEmulator.Unsupported | LastErrorException e) {
                        return end(RunResult.Outcome.INTERNAL_ERROR, 0, e.getMessage());
                    }
                }
                case KvmApi.EXIT_SYSTEM_EVENT -> {
                    return end(RunResult.Outcome.SYSTEM_EVENT, 0,
                            "the guest asked for a system event of type " + run.getInt(KvmApi.RUN_SYSTEM_EVENT_TYPE));
                }
                case KvmApi.EXIT_MMIO -> {
                    return end(RunResult.Outcome.UNHANDLED_EXIT, 0, String.format(
                            "the guest %s %d bytes at 0x%x, where there is no memory or device",
                            run.getByte(KvmApi.RUN_MMIO_IS_WRITE) != 0 ? "wrote" : "read",
                            run.getInt(KvmApi.RUN_MMIO_LEN), run.getLong(KvmApi.RUN_MMIO_ADDR)));
                }
                default -> {
                    return end(RunResult.Outcome.UNHANDLED_EXIT, 0, "unhandled KVM exit reason " + reason);
                }
            }
        }
    }

    /** Port I/O: one or more values of 1, 2 or 4 bytes in kvm_run's data area. */
    private RunResult io(IoBus bus) {
        int dir = run.getByte(KvmApi.RUN_IO_DIRECTION);
        int size = run.getByte(KvmApi.RUN_IO_SIZE);
        int port = run.getShort(KvmApi.RUN_IO_PORT) & 0xffff;
        int count = run.getInt(KvmApi.RUN_IO_COUNT);
        long data = run.getLong(KvmApi.RUN_IO_DATA_OFFSET);
        for (int i = 0; i < count; i++) {
            long at = data + (long) i * size;
            if (dir == KvmApi.IO_IN) {
                int v = bus.in(port, size);
                switch (size) {
                    case 1 -> run.setByte(at, (byte) v);
                    case 2 -> run.setShort(at, (short) v);
                    default -> run.setInt(at, v);
                }
            } else {
                int v = switch (size) {
                    case 1 -> run.getByte(at) & 0xff;
                    case 2 -> run.getShort(at) & 0xffff;
                    default -> run.getInt(at);
                };
                if (port == EXIT_PORT) {
                    return end(RunResult.Outcome.EXIT_PORT, v & 0xffffffffL,
                            String.format("the guest wrote 0x%x to the exit port", v));
                }
                bus.out(port, size, v);
                if (bus.requested() != null) {
                    return switch (bus.requested()) {
                        case POWER_OFF -> end(RunResult.Outcome.POWER_OFF, 0, "the guest powered off (ACPI S5)");
                        case REBOOT -> end(RunResult.Outcome.REBOOT, 0, "the guest asked for a reboot (ACPI reset)");
                    };
                }
            }
        }
        return null;
    }

    private boolean haltedForGood() {
        try {
            Memory mp = new Memory(4);
            C.ioctl(vcpu, KvmApi.GET_MP_STATE, mp);
            if (mp.getInt(0) != KvmApi.MP_STATE_HALTED) {
                return false;
            }
            Memory r = new Memory(KvmApi.REGS_SIZE);
            C.ioctl(vcpu, KvmApi.GET_REGS, r);
            return (r.getLong(KvmApi.REG_RFLAGS) & 0x200) == 0;
        } catch (LastErrorException e) {
            return false;
        }
    }

    private String internalError() {
        int sub = run.getInt(KvmApi.RUN_INTERNAL_SUBERROR);
        int n = Math.min(run.getInt(KvmApi.RUN_INTERNAL_NDATA), 16);
        StringBuilder sb = new StringBuilder("KVM internal error, suberror " + sub);
        if (sub == 1) {
            sb.append(" (an instruction KVM cannot emulate)");
        }
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? ", data " : " ").append(String.format("0x%x", run.getLong(KvmApi.RUN_INTERNAL_DATA + 8L * i)));
        }
        return sb.toString();
    }

    private RunResult end(RunResult.Outcome outcome, long value, String reason) {
        return new RunResult(outcome, value, reason, registers());
    }

    /** The vCPU's general, segment and control registers, for a report. */
    public String registers() {
        try {
            Memory r = new Memory(KvmApi.REGS_SIZE);
            C.ioctl(vcpu, KvmApi.GET_REGS, r);
            Memory s = new Memory(KvmApi.SREGS_SIZE);
            C.ioctl(vcpu, KvmApi.GET_SREGS, s);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < KvmApi.REG_NAMES.length; i++) {
                sb.append(String.format("%-6s 0x%016x%s", KvmApi.REG_NAMES[i], r.getLong(8L * i), i % 4 == 3 ? "\n" : "  "));
            }
            sb.append('\n');
            String[] segs = {"cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt"};
            for (int i = 0; i < segs.length; i++) {
                Segment seg = KvmSegments.read(s, (long) i * KvmApi.SEGMENT_SIZE);
                sb.append(String.format("%-4s sel 0x%04x base 0x%016x limit 0x%08x access 0x%05x%n", segs[i],
                        seg.selector(), seg.base(), seg.limit(), seg.access()));
            }
            sb.append(String.format("gdt  base 0x%016x limit 0x%04x   idt base 0x%016x limit 0x%04x%n",
                    s.getLong(KvmApi.SREGS_GDT), s.getShort(KvmApi.SREGS_GDT + 8) & 0xffff,
                    s.getLong(KvmApi.SREGS_IDT), s.getShort(KvmApi.SREGS_IDT + 8) & 0xffff));
            sb.append(String.format("cr0 0x%x  cr2 0x%x  cr3 0x%x  cr4 0x%x  efer 0x%x%n", s.getLong(KvmApi.SREGS_CR0),
                    s.getLong(KvmApi.SREGS_CR2), s.getLong(KvmApi.SREGS_CR3), s.getLong(KvmApi.SREGS_CR4),
                    s.getLong(KvmApi.SREGS_EFER)));
            return sb.toString();
        } catch (LastErrorException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (run != null) {
            C.munmap(run, runSize);
        }
        if (low != null) {
            C.munmap(low, layout.lowmem());
        }
        if (high != null) {
            C.munmap(high, layout.highmem());
        }
        for (int fd : new int[] {vcpu, vm, kvm}) {
            if (fd >= 0) {
                C.close(fd);
            }
        }
    }
}
