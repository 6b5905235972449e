package userboot4j.vmm.bhyve;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import userboot4j.BootException;
import userboot4j.BootImage;
import userboot4j.amd64.LoaderCall;
import userboot4j.memory.MemoryLayout;
import userboot4j.vmm.Vmm;

/**
 * A bhyve virtual machine prepared as bhyveload prepares it: {@link #create} is bhyveload's start (create
 * or re-initialise, open, memory flags, guest memory), {@link #restart} its start again after the loader's
 * reboot, {@link #load} copies a BootImage in through
 * {@code vm_map_gpa} as cb_copyin does and plays the loader's register callbacks as cb_setreg, cb_setmsr,
 * cb_setcr, cb_setgdt and cb_exec do. The VM is then ready for bhyve(8) to run.
 */
public final class BhyveVm implements Vmm {
    /** bhyveload's status when a libvmmapi call fails: perror, then exit(1) (USERBOOT_EXIT_QUIT for callbacks). */
    public static final int EXIT_FAILURE = 1;
    static final int BSP = 0;
    static final int EEXIST = 17;

    private final Vmmapi api;
    private final Pointer ctx;
    private final Vcpu vcpu;
    private final int memflags;
    private final long memsize;
    /** What cb_exec needs, kept as bhyveload keeps it: CR3 (0 means an i386 kernel), the GDT base, RSP. */
    private long cr3;
    private long gdtbase;
    private long rsp;

    private BhyveVm(Vmmapi api, Pointer ctx, Vcpu vcpu, int memflags, long memsize) {
        this.api = api;
        this.ctx = ctx;
        this.vcpu = vcpu;
        this.memflags = memflags;
        this.memsize = memsize;
    }

    /**
     * bhyveload's start: vm_create (a VM of that name that exists already is re-initialised), vm_open, the
     * boot vCPU, vm_set_memflags and vm_setup_memory with the whole of guest memory mapped here.
     */
    public static BhyveVm create(Vmmapi api, String name, int memflags, long memsize) throws BootException {
        Libvmmapi lib = api.lib;
        boolean reinit = false;
        if (lib.vm_create(name) != 0) {
            if (Native.getLastError() != EEXIST) {
                throw failure("vm_create");
            }
            reinit = true;
        }
        Pointer ctx = lib.vm_open(name);
        if (ctx == null) {
            throw failure("vm_open");
        }
        BhyveVm vm = new BhyveVm(api, ctx, api.vcpu(ctx, BSP), memflags, memsize);
        vm.setupMemory(reinit);
        return vm;
    }

    /**
     * Whether bhyveload starts the loader again when the loader is told to reboot: FreeBSD 15.1's does, on a
     * re-initialised VM ({@link #restart}); 13.2's exits with USERBOOT_EXIT_REBOOT.
     */
    public boolean restartsOnReboot() {
        return api.generation == Generation.FBSD15;
    }

    /** The VM as bhyveload makes it again before it restarts the loader: vm_reinit, then its memory. */
    public void restart() throws BootException {
        setupMemory(true);
    }

    private void setupMemory(boolean reinit) throws BootException {
        Libvmmapi lib = api.lib;
        if (reinit && lib.vm_reinit(ctx) != 0) {
            throw failure("vm_reinit");
        }
        lib.vm_set_memflags(ctx, memflags);
        if (lib.vm_setup_memory(ctx, memsize, Libvmmapi.VM_MMAP_ALL) != 0) {
            throw failure("vm_setup_memory");
        }
    }

    /** vm_set_memflags' flags for bhyveload's -C and -S. */
    public static int memflags(boolean incore, boolean wired) {
        return (incore ? Libvmmapi.VM_MEM_F_INCORE : 0) | (wired ? Libvmmapi.VM_MEM_F_WIRED : 0);
    }

    /** Guest memory as libvmmapi laid it out (cb_getmem): lowmem from 0, highmem from 4 GiB. */
    public MemoryLayout layout() {
        return new MemoryLayout(api.lib.vm_get_lowmem_size(ctx), api.lib.vm_get_highmem_size(ctx));
    }

    /** Copies the image's pages into guest memory, then sets the boot vCPU up as the loader asked. */
    @Override
    public void load(BootImage image) throws BootException {
        for (BootImage.Run run : image.runs()) {
            long gpa = run.gpa();
            for (byte[] page : run.pages()) {
                Pointer at = api.lib.vm_map_gpa(ctx, gpa, page.length);
                if (at == null) {
                    throw new BootException.GuestMemory(String.format("vm_map_gpa: page 0x%x is outside guest memory",
                            gpa));
                }
                at.write(0, page, 0, page.length);
                gpa += page.length;
            }
        }
        for (LoaderCall c : image.entry().loaderCalls()) {
            callback(c);
        }
    }

    /** The VM stays for bhyve(8) to run, as bhyveload leaves it; the context goes with this process. */
    @Override
    public void close() {
    }

    private void callback(LoaderCall c) throws BootException {
        if (c instanceof LoaderCall.SetReg r) {
            if (r.reg() != LoaderCall.REG_RSP) {
                throw quit("test_setreg(" + r.reg() + "): not implemented");
            }
            rsp = r.value();
            set(VmRegName.VM_REG_GUEST_RSP, r.value(), "vm_set_register");
        } else if (c instanceof LoaderCall.SetMsr m) {
            if (m.msr() != LoaderCall.MSR_EFER) {
                throw quit("test_setmsr(" + m.msr() + "): not implemented");
            }
            set(VmRegName.VM_REG_GUEST_EFER, m.value(), "vm_set_msr");
        } else if (c instanceof LoaderCall.SetCr r) {
            int reg = switch (r.cr()) {
                case 0 -> VmRegName.VM_REG_GUEST_CR0;
                case 3 -> VmRegName.VM_REG_GUEST_CR3;
                case 4 -> VmRegName.VM_REG_GUEST_CR4;
                default -> throw quit("test_setcr(" + r.cr() + "): not implemented");
            };
            if (r.cr() == 3) {
                cr3 = r.value();
            }
            set(reg, r.value(), "vm_set_cr");
        } else if (c instanceof LoaderCall.SetGdt g) {
            if (vcpu.setDesc(VmRegName.VM_REG_GUEST_GDTR, g.base(), (int) (g.size() - 1), 0) != 0) {
                throw failure("vm_set_desc(gdt)");
            }
            gdtbase = g.base();
        } else if (c instanceof LoaderCall.Exec e) {
            int error = cr3 == 0
                    ? vcpu.setupFreebsdRegistersI386((int) e.rip(), (int) gdtbase, (int) rsp)
                    : vcpu.setupFreebsdRegisters(e.rip(), cr3, gdtbase, rsp);
            if (error != 0) {
                throw failure("vm_setup_freebsd_registers");
            }
        }
    }

    private void set(int reg, long value, String what) throws BootException {
        if (vcpu.setRegister(reg, value) != 0) {
            throw failure(what);
        }
    }

    private static BootException failure(String what) {
        return quit(Vmmapi.perror(what));
    }

    private static BootException quit(String message) {
        return new BootException(EXIT_FAILURE, message);
    }
}
