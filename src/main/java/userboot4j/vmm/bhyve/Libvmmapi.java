package userboot4j.vmm.bhyve;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * FreeBSD's libvmmapi (lib/libvmmapi/vmmapi.h), the calls bhyveload makes. {@code struct vmctx *} and
 * {@code struct vcpu *} are opaque pointers; {@code size_t} and {@code vm_paddr_t} are 64-bit (amd64),
 * {@code uint32_t} arguments are Java ints. The vCPU calls changed in FreeBSD 14: {@link Fbsd13} and
 * {@link Fbsd14} are the two sets of signatures (FreeBSD 15's library has 14's).
 */
interface Libvmmapi extends Library {
    /** enum vm_mmap_style: guest memory fully mapped into this process (FreeBSD 15's library takes no other). */
    int VM_MMAP_ALL = 1;
    /** vm_set_memflags: include guest memory in core dumps (bhyveload -C). */
    int VM_MEM_F_INCORE = 0x01;
    /** vm_set_memflags: wire guest memory (bhyveload -S). */
    int VM_MEM_F_WIRED = 0x02;

    int vm_create(String name);

    Pointer vm_open(String name);

    int vm_reinit(Pointer ctx);

    void vm_set_memflags(Pointer ctx, int flags);

    int vm_setup_memory(Pointer ctx, long len, int style);

    Pointer vm_map_gpa(Pointer ctx, long gpa, long len);

    long vm_get_lowmem_size(Pointer ctx);

    long vm_get_highmem_size(Pointer ctx);

    /** FreeBSD 13 and earlier: a vCPU is named by the VM context and its number. */
    interface Fbsd13 extends Libvmmapi {
        int vm_set_register(Pointer ctx, int vcpu, int reg, long val);

        int vm_set_desc(Pointer ctx, int vcpu, int reg, long base, int limit, int access);

        int vm_setup_freebsd_registers(Pointer ctx, int vcpu, long rip, long cr3, long gdtbase, long rsp);

        int vm_setup_freebsd_registers_i386(Pointer ctx, int vcpu, int eip, int gdtbase, int esp);
    }

    /** FreeBSD 14 and later: a vCPU is a {@code struct vcpu *} from vm_vcpu_open. */
    interface Fbsd14 extends Libvmmapi {
        Pointer vm_vcpu_open(Pointer ctx, int vcpuid);

        int vm_set_register(Pointer vcpu, int reg, long val);

        int vm_set_desc(Pointer vcpu, int reg, long base, int limit, int access);

        int vm_setup_freebsd_registers(Pointer vcpu, long rip, long cr3, long gdtbase, long rsp);

        int vm_setup_freebsd_registers_i386(Pointer vcpu, int eip, int gdtbase, int esp);
    }
}
