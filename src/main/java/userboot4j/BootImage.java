package userboot4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import userboot4j.amd64.EntryState;
import userboot4j.memory.MemoryLayout;

/**
 * Everything a boot hands to a hypervisor, as a value: guest memory (the pages the loader wrote, by
 * guest page number) and the first vCPU's entry state. Backends copy {@link #runs()} into guest memory and
 * apply {@link #entry()}.
 */
public record BootImage(MemoryLayout memory, NavigableMap<Long, byte[]> pages, EntryState entry) {
    public static final int PAGE_SIZE = 4096;

    /** Pages that follow one another in guest memory, the first at guest physical address {@code gpa}. */
    public record Run(long gpa, List<byte[]> pages) {
        public long size() {
            return (long) pages.size() * PAGE_SIZE;
        }

        /** Writes the run's bytes to {@code ch} from {@code position} on. */
        public void writeTo(FileChannel ch, long position) throws IOException {
            for (byte[] page : pages) {
                ch.write(ByteBuffer.wrap(page), position);
                position += PAGE_SIZE;
            }
        }
    }

    /** The pages as runs of contiguous guest memory, in address order (the pages themselves are not copied). */
    public List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        Long first = pages.isEmpty() ? null : pages.firstKey();
        while (first != null) {
            long last = first;
            while (pages.containsKey(last + 1)) {
                last++;
            }
            runs.add(new Run(first * PAGE_SIZE, List.copyOf(pages.subMap(first, true, last, true).values())));
            first = pages.higherKey(last);
        }
        return runs;
    }
}
