package userboot4j.vmm.bhyve;

/**
 * The vCPU calls bhyveload makes, on whichever generation of libvmmapi is loaded. Each returns what
 * libvmmapi returns: 0, or non-zero with errno set.
 */
interface Vcpu {
    int setRegister(int reg, long val);

    int setDesc(int reg, long base, int limit, int access);

    int setupFreebsdRegisters(long rip, long cr3, long gdtbase, long rsp);

    int setupFreebsdRegistersI386(int eip, int gdtbase, int esp);
}
