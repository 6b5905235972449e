package userboot4j.amd64;

/**
 * A segment register as libvmmapi describes it: selector, and the descriptor cache (base, limit, and the
 * VMX-style access-rights word) set with {@code vm_set_desc}.
 */
public record Segment(int selector, long base, long limit, long access) {
    /** VMX "segment unusable" bit, used for an empty LDTR. */
    public static final long DESC_UNUSABLE = 0x10000;
}
