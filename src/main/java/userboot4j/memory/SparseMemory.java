package userboot4j.memory;

import java.util.Arrays;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;
import userboot4j.BootException;

/**
 * Guest memory kept as a map of the 4 KiB pages that were written, so that its cost follows what the loader
 * writes and not the size given with {@code -m}. Pages never written read as zero, as on a fresh VM.
 */
public final class SparseMemory implements GuestMemory {
    public static final int PAGE_SIZE = 4096;
    private static final int PAGE_SHIFT = 12;
    private static final long MIB = 1L << 20;
    private static final long MAX_PAGES_PAST_END = 256 * MIB / PAGE_SIZE;

    private final MemoryLayout layout;
    private final TreeMap<Long, byte[]> pages = new TreeMap<>();
    /** The end of the highest access past lowmem that a larger {@code -m} would have held; 0 when none. */
    private long needed;
    /**
     * Pages kept past the end of lowmem, so that the boot reads back what it wrote there. Beyond 256 MiB of
     * them (files that large: a hostile image), writes are only counted: the heap is not theirs to fill.
     */
    private long pastEnd;

    public SparseMemory(MemoryLayout layout) {
        this.layout = layout;
    }

    @Override
    public MemoryLayout layout() {
        return layout;
    }

    /**
     * Guest memory, or what would be with a larger {@code -m}: with no highmem, any range below the 3 GiB
     * lowmem limit. FreeBSD's loader carries on past a copyin that fails (and hands the kernel a boot it
     * cannot use); this one keeps such pages, so that the boot runs to its end and {@link #requireFits()}
     * can tell the size it needs.
     */
    @Override
    public boolean accepts(long gpa, long len) {
        return layout.contains(gpa, len) || layout.highmem() == 0 && gpa >= 0 && len >= 0
                && len <= MemoryLayout.LOWMEM_LIMIT - gpa;
    }

    /** Fails when the boot used memory past the end of lowmem, naming the size it needs. */
    public void requireFits() throws BootException {
        if (needed > 0) {
            long mib = (needed + MIB - 1) / MIB;
            String size = layout.lowmem() % MIB == 0 ? layout.lowmem() / MIB + " MiB" : layout.lowmem() + " bytes";
            throw new BootException.GuestMemory(String.format("guest memory (%s) is too small for this boot:"
                    + " it needs at least %d MiB (give -m %dM or more)", size, mib, mib));
        }
    }

    private long check(long addr, long len, String what) throws BootException {
        long gpa = addr & ADDRESS_MASK;
        if (!layout.contains(gpa, len) && accepts(gpa, len)) {
            needed = Math.max(needed, gpa + len);
        } else if (!layout.contains(gpa, len)) {
            throw new BootException.GuestMemory(String.format(
                    "%s of 0x%x bytes at guest address 0x%x (from 0x%x) is outside guest memory"
                            + " (lowmem 0x%x, highmem 0x%x)", what, len, gpa, addr, layout.lowmem(), layout.highmem()));
        }
        return gpa;
    }

    @Override
    public void copyin(long addr, byte[] src, int off, int len) throws BootException {
        long gpa = check(addr, len, "write");
        int done = 0;
        while (done < len) {
            long a = gpa + done;
            int po = (int) (a & (PAGE_SIZE - 1));
            int n = Math.min(len - done, PAGE_SIZE - po);
            byte[] page = pages.get(a >>> PAGE_SHIFT);
            if (page == null && (layout.contains(a, n) || pastEnd++ < MAX_PAGES_PAST_END)) {
                page = new byte[PAGE_SIZE];
                pages.put(a >>> PAGE_SHIFT, page);
            }
            if (page != null) {
                System.arraycopy(src, off + done, page, po, n);
            }
            done += n;
        }
    }

    @Override
    public byte[] copyout(long addr, int len) throws BootException {
        long gpa = check(addr, len, "read");
        byte[] out = new byte[len];
        int done = 0;
        while (done < len) {
            long a = gpa + done;
            int po = (int) (a & (PAGE_SIZE - 1));
            int n = Math.min(len - done, PAGE_SIZE - po);
            byte[] page = pages.get(a >>> PAGE_SHIFT);
            if (page != null) {
                System.arraycopy(page, po, out, done, n);
            }
            done += n;
        }
        return out;
    }

    @Override
    public void zero(long addr, long len) throws BootException {
        long gpa = check(addr, len, "zero");
        long done = 0;
        while (done < len) {
            long a = gpa + done;
            int po = (int) (a & (PAGE_SIZE - 1));
            int n = (int) Math.min(len - done, PAGE_SIZE - po);
            // A page that was never written is zero already; recording it keeps the written set like the C
            // loader's, whose bss clearing also goes through copyin. Past the end of guest memory nothing is
            // recorded: the boot fails in requireFits, and a hostile 2 GiB bss must not fill the heap first.
            byte[] page = pages.get(a >>> PAGE_SHIFT);
            if (page != null) {
                Arrays.fill(page, po, po + n, (byte) 0);
            } else if (layout.contains(a, n)) {
                pages.put(a >>> PAGE_SHIFT, new byte[PAGE_SIZE]); // zero as it comes
            }
            done += n;
        }
    }

    /** The written pages by guest page number, in address order (read-only view; the arrays are live). */
    public NavigableMap<Long, byte[]> pages() {
        return Collections.unmodifiableNavigableMap(pages);
    }
}
