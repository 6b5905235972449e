package userboot4j.vmm.kvm;

/**
 * Numbers of the Linux KVM API (include/uapi/linux/kvm.h): ioctl requests, exit reasons and the layout
 * of {@code struct kvm_run}. An ioctl request is dir(2) | size(14) | type 0xAE (8) | nr (8).
 */
final class KvmApi {
    static final int API_VERSION = 12;
    private static final long KVMIO = 0xAE;

    static long io(int nr) {
        return KVMIO << 8 | nr;
    }

    static long iow(int nr, int size) {
        return 1L << 30 | (long) size << 16 | KVMIO << 8 | nr;
    }

    static long ior(int nr, int size) {
        return 2L << 30 | (long) size << 16 | KVMIO << 8 | nr;
    }

    static long iowr(int nr, int size) {
        return 3L << 30 | (long) size << 16 | KVMIO << 8 | nr;
    }

    static final int REGS_SIZE = 18 * 8;
    static final int SEGMENT_SIZE = 24;
    static final int DTABLE_SIZE = 16;
    static final int SREGS_SIZE = 8 * SEGMENT_SIZE + 2 * DTABLE_SIZE + 7 * 8 + 4 * 8;
    static final int CPUID_ENTRY_SIZE = 40;
    static final int PIT_CONFIG_SIZE = 64;
    static final int MEMORY_REGION_SIZE = 32;

    static final long GET_API_VERSION = io(0x00);
    static final long CREATE_VM = io(0x01);
    static final long GET_VCPU_MMAP_SIZE = io(0x04);
    static final long GET_SUPPORTED_CPUID = iowr(0x05, 8);
    static final long CREATE_VCPU = io(0x41);
    static final long SET_USER_MEMORY_REGION = iow(0x46, MEMORY_REGION_SIZE);
    static final long SET_TSS_ADDR = io(0x47);
    static final long SET_IDENTITY_MAP_ADDR = iow(0x48, 8);
    static final long CREATE_IRQCHIP = io(0x60);
    static final long CREATE_PIT2 = iow(0x77, PIT_CONFIG_SIZE);
    static final long RUN = io(0x80);
    static final long GET_REGS = ior(0x81, REGS_SIZE);
    static final long SET_REGS = iow(0x82, REGS_SIZE);
    static final long GET_SREGS = ior(0x83, SREGS_SIZE);
    static final long SET_SREGS = iow(0x84, SREGS_SIZE);
    static final long SET_CPUID2 = iow(0x90, 8);
    static final long GET_MP_STATE = ior(0x98, 4);
    static final long GET_TSC_KHZ = io(0xa3);

    static final int EXIT_UNKNOWN = 0;
    static final int EXIT_EXCEPTION = 1;
    static final int EXIT_IO = 2;
    static final int EXIT_HLT = 5;
    static final int EXIT_MMIO = 6;
    static final int EXIT_SHUTDOWN = 8;
    static final int EXIT_FAIL_ENTRY = 9;
    static final int EXIT_INTR = 10;
    static final int EXIT_INTERNAL_ERROR = 17;
    static final int EXIT_SYSTEM_EVENT = 24;

    static final int MP_STATE_HALTED = 3;
    static final int INTERNAL_ERROR_EMULATION = 1;

    /** struct kvm_run offsets. */
    static final int RUN_IMMEDIATE_EXIT = 1;
    static final int RUN_EXIT_REASON = 8;
    static final int RUN_IO_DIRECTION = 32;
    static final int RUN_IO_SIZE = 33;
    static final int RUN_IO_PORT = 34;
    static final int RUN_IO_COUNT = 36;
    static final int RUN_IO_DATA_OFFSET = 40;
    static final int RUN_INTERNAL_SUBERROR = 32;
    static final int RUN_INTERNAL_NDATA = 36;
    static final int RUN_INTERNAL_DATA = 40;
    static final int RUN_FAIL_ENTRY_REASON = 32;
    static final int RUN_MMIO_ADDR = 32;
    static final int RUN_MMIO_LEN = 48;
    static final int RUN_MMIO_IS_WRITE = 52;
    static final int RUN_SYSTEM_EVENT_TYPE = 32;
    static final int IO_IN = 0;

    /** struct kvm_regs: rax rbx rcx rdx rsi rdi rsp rbp r8..r15 rip rflags, 8 bytes each. */
    static final String[] REG_NAMES = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip", "rflags"};
    static final int REG_RSP = 6 * 8;
    static final int REG_RIP = 16 * 8;
    static final int REG_RFLAGS = 17 * 8;

    /** struct kvm_sregs: cs ds es fs gs ss tr ldt (kvm_segment), gdt idt (kvm_dtable), then control registers. */
    static final int SREGS_CS = 0;
    static final int SREGS_DS = SEGMENT_SIZE;
    static final int SREGS_ES = 2 * SEGMENT_SIZE;
    static final int SREGS_FS = 3 * SEGMENT_SIZE;
    static final int SREGS_GS = 4 * SEGMENT_SIZE;
    static final int SREGS_SS = 5 * SEGMENT_SIZE;
    static final int SREGS_TR = 6 * SEGMENT_SIZE;
    static final int SREGS_LDT = 7 * SEGMENT_SIZE;
    static final int SREGS_GDT = 8 * SEGMENT_SIZE;
    static final int SREGS_IDT = SREGS_GDT + DTABLE_SIZE;
    static final int SREGS_CR0 = SREGS_IDT + DTABLE_SIZE;
    static final int SREGS_CR2 = SREGS_CR0 + 8;
    static final int SREGS_CR3 = SREGS_CR0 + 16;
    static final int SREGS_CR4 = SREGS_CR0 + 24;
    static final int SREGS_EFER = SREGS_CR0 + 40;

    /** Guest-physical addresses KVM needs for its own use on Intel hosts, kept out of guest RAM. */
    static final long TSS_ADDR = 0xfffbd000L;
    static final long IDENTITY_MAP_ADDR = 0xfffbc000L;

    private KvmApi() {
    }
}
