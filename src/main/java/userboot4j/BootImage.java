package userboot4j;

import java.util.NavigableMap;
import userboot4j.amd64.EntryState;
import userboot4j.memory.MemoryLayout;

/**
 * Everything a boot hands to a hypervisor, as a value: guest memory (the pages the loader wrote, by
 * guest page number) and the first vCPU's entry state. Backends copy {@link #pages()} into guest memory and
 * apply {@link #entry()}.
 */
public record BootImage(MemoryLayout memory, NavigableMap<Long, byte[]> pages, EntryState entry) {
    public static final int PAGE_SIZE = 4096;
}
