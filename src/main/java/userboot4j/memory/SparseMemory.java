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

    private final MemoryLayout layout;
    private final TreeMap<Long, byte[]> pages = new TreeMap<>();

    public SparseMemory(MemoryLayout layout) {
        this.layout = layout;
    }

    @Override
    public MemoryLayout layout() {
        return layout;
    }

    private long check(long addr, long len, String what) throws BootException {
        long gpa = addr & ADDRESS_MASK;
        if (!layout.contains(gpa, len)) {
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
            byte[] page = pages.computeIfAbsent(a >>> PAGE_SHIFT, k -> new byte[PAGE_SIZE]);
            System.arraycopy(src, off + done, page, po, n);
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
            // loader's, whose bss clearing also goes through copyin.
            byte[] page = pages.get(a >>> PAGE_SHIFT);
            if (page == null) {
                pages.put(a >>> PAGE_SHIFT, new byte[PAGE_SIZE]); // zero as it comes
            } else {
                Arrays.fill(page, po, po + n, (byte) 0);
            }
            done += n;
        }
    }

    /** The written pages by guest page number, in address order (read-only view; the arrays are live). */
    public NavigableMap<Long, byte[]> pages() {
        return Collections.unmodifiableNavigableMap(pages);
    }
}
