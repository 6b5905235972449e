package userboot4j.vmm.kvm;

import com.sun.jna.Memory;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPUID a guest sees: what KVM supports on this host, presented as bhyve presents it — the hypervisor
 * bit, the "bhyve bhyve " vendor leaf 0x40000000 reaching up to 0x40000010, and the timing leaf 0x40000010
 * with the TSC and local APIC timer frequencies, so that FreeBSD takes them instead of calibrating.
 */
final class Cpuid {
    record Entry(int function, int index, int flags, int eax, int ebx, int ecx, int edx) {
    }

    static final int HYPERVISOR_BASE = 0x40000000;
    static final int TIMING = 0x40000010;
    static final int HYPERVISOR_BIT = 1 << 31;
    /** KVM's local APIC timer runs at 1 GHz. */
    static final int LAPIC_KHZ = 1_000_000;
    static final int XSAVE_LEAF = 0xd;

    private final List<Entry> entries = new ArrayList<>();

    /** Reads a struct kvm_cpuid2 as KVM_GET_SUPPORTED_CPUID filled it. */
    Cpuid(Memory m) {
        int n = m.getInt(0);
        for (int i = 0; i < n; i++) {
            long at = 8 + (long) i * KvmApi.CPUID_ENTRY_SIZE;
            entries.add(new Entry(m.getInt(at), m.getInt(at + 4), m.getInt(at + 8), m.getInt(at + 12),
                    m.getInt(at + 16), m.getInt(at + 20), m.getInt(at + 24)));
        }
    }

    void asBhyveGuest(long tscKhz) {
        entries.removeIf(e -> (e.function() & 0xffffff00) == HYPERVISOR_BASE);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.function() == 1) {
                entries.set(i, new Entry(1, e.index(), e.flags(), e.eax(), e.ebx(), e.ecx() | HYPERVISOR_BIT, e.edx()));
            }
        }
        // "bhyve bhyve " as EBX, ECX, EDX, little-endian.
        entries.add(new Entry(HYPERVISOR_BASE, 0, 0, TIMING, 0x76796862, 0x68622065, 0x20657679));
        entries.add(new Entry(TIMING, 0, 0, (int) tscKhz, LAPIC_KHZ, 0, 0));
    }

    Memory toNative() {
        Memory m = new Memory(8 + (long) entries.size() * KvmApi.CPUID_ENTRY_SIZE);
        m.clear();
        m.setInt(0, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            long at = 8 + (long) i * KvmApi.CPUID_ENTRY_SIZE;
            m.setInt(at, e.function());
            m.setInt(at + 4, e.index());
            m.setInt(at + 8, e.flags());
            m.setInt(at + 12, e.eax());
            m.setInt(at + 16, e.ebx());
            m.setInt(at + 20, e.ecx());
            m.setInt(at + 24, e.edx());
        }
        return m;
    }

    /** XSAVE component i's offset in the standard format (CPUID 0xd sub-leaf i, EBX). */
    int[] xsaveOffsets() {
        int[] out = new int[64];
        for (Entry e : entries) {
            if (e.function() == XSAVE_LEAF && e.index() >= 2 && e.index() < 64) {
                out[e.index()] = e.ebx();
            }
        }
        return out;
    }

    /** XSAVE component i's size (CPUID 0xd sub-leaf i, EAX). */
    int[] xsaveSizes() {
        int[] out = new int[64];
        for (Entry e : entries) {
            if (e.function() == XSAVE_LEAF && e.index() >= 2 && e.index() < 64) {
                out[e.index()] = e.eax();
            }
        }
        return out;
    }
}
