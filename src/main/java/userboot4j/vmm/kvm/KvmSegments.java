package userboot4j.vmm.kvm;

import com.sun.jna.Pointer;
import userboot4j.amd64.Segment;

/**
 * The one place where bhyve's segment descriptions become KVM's. libvmmapi's {@code vm_set_desc} takes the
 * VMX access-rights word: type in bits 0–3, S 4, DPL 5–6, P 7, AVL 12, L 13, D/B 14, G 15 and "unusable"
 * 16; {@code struct kvm_segment} has a field for each.
 */
final class KvmSegments {
    private static final int BASE = 0;
    private static final int LIMIT = 8;
    private static final int SELECTOR = 12;
    private static final int TYPE = 14;
    private static final int PRESENT = 15;
    private static final int DPL = 16;
    private static final int DB = 17;
    private static final int S = 18;
    private static final int L = 19;
    private static final int G = 20;
    private static final int AVL = 21;
    private static final int UNUSABLE = 22;

    private KvmSegments() {
    }

    /** Writes {@code s} as a struct kvm_segment at {@code at}. */
    static void write(Pointer p, long at, Segment s) {
        long a = s.access();
        p.setLong(at + BASE, s.base());
        p.setInt(at + LIMIT, (int) s.limit());
        p.setShort(at + SELECTOR, (short) s.selector());
        p.setByte(at + TYPE, (byte) (a & 0xf));
        p.setByte(at + S, bit(a, 4));
        p.setByte(at + DPL, (byte) ((a >> 5) & 3));
        p.setByte(at + PRESENT, bit(a, 7));
        p.setByte(at + AVL, bit(a, 12));
        p.setByte(at + L, bit(a, 13));
        p.setByte(at + DB, bit(a, 14));
        p.setByte(at + G, bit(a, 15));
        p.setByte(at + UNUSABLE, bit(a, 16));
    }

    /** Reads the struct kvm_segment at {@code at} back into bhyve's form. */
    static Segment read(Pointer p, long at) {
        long a = (p.getByte(at + TYPE) & 0xf) | (p.getByte(at + S) & 1L) << 4 | (p.getByte(at + DPL) & 3L) << 5
                | (p.getByte(at + PRESENT) & 1L) << 7 | (p.getByte(at + AVL) & 1L) << 12
                | (p.getByte(at + L) & 1L) << 13 | (p.getByte(at + DB) & 1L) << 14 | (p.getByte(at + G) & 1L) << 15
                | (p.getByte(at + UNUSABLE) & 1L) << 16;
        return new Segment(p.getShort(at + SELECTOR) & 0xffff, p.getLong(at + BASE),
                p.getInt(at + LIMIT) & 0xffffffffL, a);
    }

    private static byte bit(long word, int n) {
        return (byte) ((word >> n) & 1);
    }
}
