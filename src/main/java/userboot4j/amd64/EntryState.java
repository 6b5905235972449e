package userboot4j.amd64;

/**
 * The first vCPU's state when the guest starts: what bhyveload's callbacks and libvmmapi's
 * {@code vm_setup_freebsd_registers} (or its i386 variant) leave behind. General registers other than
 * RSP and RIP are not set by either and so are not part of it.
 */
public record EntryState(
        Mode mode,
        long rip, long rsp, long rflags,
        long cr0, long cr3, long cr4, long efer,
        long gdtrBase, long gdtrLimit,
        Segment cs, Segment ds, Segment es, Segment fs, Segment gs, Segment ss, Segment tr, Segment ldtr) {

    public enum Mode { AMD64, I386 }

    /** The register callbacks userboot.so made to reach this state, in its order. */
    public java.util.List<LoaderCall> loaderCalls() {
        return switch (mode) {
            case AMD64 -> Amd64Exec.loaderCalls(this);
            case I386 -> I386Exec.loaderCalls(this);
        };
    }
}
