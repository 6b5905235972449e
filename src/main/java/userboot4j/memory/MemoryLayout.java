package userboot4j.memory;

/**
 * Guest physical memory as libvmmapi's {@code vm_setup_memory} lays it out on amd64: up to 3 GiB of
 * "lowmem" from address 0, and whatever is left as "highmem" from 4 GiB up.
 */
public record MemoryLayout(long lowmem, long highmem) {
    public static final long LOWMEM_LIMIT = 3L << 30;
    public static final long HIGHMEM_BASE = 4L << 30;
    public static final long DEFAULT_SIZE = 256L << 20;

    public static MemoryLayout forSize(long memsize) {
        if (memsize > LOWMEM_LIMIT) {
            return new MemoryLayout(LOWMEM_LIMIT, memsize - LOWMEM_LIMIT);
        }
        return new MemoryLayout(memsize, 0);
    }

    /** True when [gpa, gpa+len) lies entirely in lowmem or entirely in highmem. */
    public boolean contains(long gpa, long len) {
        if (gpa < 0 || len < 0) {
            return false;
        }
        if (gpa < lowmem) {
            return len <= lowmem - gpa;
        }
        return highmem > 0 && gpa >= HIGHMEM_BASE && gpa - HIGHMEM_BASE < highmem
                && len <= highmem - (gpa - HIGHMEM_BASE);
    }

    public long total() {
        return lowmem + highmem;
    }
}
