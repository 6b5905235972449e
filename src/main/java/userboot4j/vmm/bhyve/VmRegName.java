package userboot4j.vmm.bhyve;

/**
 * The register numbers libvmmapi takes ({@code enum vm_reg_name}, sys/amd64/include/vmm.h): the ones
 * bhyveload's callbacks name. The enum has kept this order since bhyve's first release.
 */
final class VmRegName {
    static final int VM_REG_GUEST_CR0 = 15;
    static final int VM_REG_GUEST_CR3 = 16;
    static final int VM_REG_GUEST_CR4 = 17;
    static final int VM_REG_GUEST_RSP = 19;
    static final int VM_REG_GUEST_GDTR = 31;
    static final int VM_REG_GUEST_EFER = 32;

    private VmRegName() {
    }
}
