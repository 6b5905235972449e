package userboot4j;

import java.util.List;
import java.util.NavigableMap;
import userboot4j.amd64.EntryState;
import userboot4j.loader.Loader;
import userboot4j.loader.PreloadedFile;
import userboot4j.memory.MemoryLayout;

/**
 * Everything a boot hands to a hypervisor, as a value: guest memory (the pages the loader wrote, by
 * guest page number), the first vCPU's entry state, and for inspection the files, environment and
 * regions that produced them. Backends copy {@link #pages()} into guest memory and apply {@link #entry()}.
 */
public record BootImage(
        MemoryLayout memory,
        NavigableMap<Long, byte[]> pages,
        EntryState entry,
        long modulep,
        long kernend,
        List<PreloadedFile> files,
        List<String> env,
        List<Loader.Region> regions,
        List<String> console) {
    public static final int PAGE_SIZE = 4096;
}
