package userboot4j.memory;

import userboot4j.BootException;

/**
 * Guest physical memory as the loader sees it through bhyveload's copyin/copyout callbacks. Every address
 * the loader passes is first masked with {@link #ADDRESS_MASK}, as bhyveload's {@code cb_copyin} does, so a
 * kernel virtual address such as 0xffffffff80200000 lands at physical 0x200000.
 */
public interface GuestMemory {
    /** bhyveload keeps the low 31 bits of every loader address. */
    long ADDRESS_MASK = 0x7fffffffL;

    MemoryLayout layout();

    /** True when the loader may write [gpa, gpa+len) (a masked address). */
    boolean accepts(long gpa, long len);

    /** Copies {@code len} bytes of {@code src} from {@code off} to the (masked) guest address. */
    void copyin(long addr, byte[] src, int off, int len) throws BootException;

    default void copyin(long addr, byte[] src) throws BootException {
        copyin(addr, src, 0, src.length);
    }

    /** Reads {@code len} bytes at the (masked) guest address. */
    byte[] copyout(long addr, int len) throws BootException;

    /** Sets {@code len} bytes at the (masked) guest address to zero. */
    void zero(long addr, long len) throws BootException;
}
