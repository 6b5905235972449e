package userboot4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import userboot4j.memory.MemoryLayout;

/** The runs every backend copies: contiguous pages together, a gap starting a new run, pages not copied. */
class BootImageTest {
    @Test
    void pagesAreGroupedIntoRunsOfContiguousMemory() {
        TreeMap<Long, byte[]> pages = new TreeMap<>();
        for (long p : new long[] {0, 1, 2, 5, 0x100000, 0x100001}) {
            pages.put(p, new byte[BootImage.PAGE_SIZE]);
        }
        BootImage image = new BootImage(MemoryLayout.forSize(8L << 30), pages, null);
        assertThat(image.runs()).extracting(BootImage.Run::gpa).containsExactly(0L, 0x5000L, 0x100000000L);
        assertThat(image.runs()).extracting(BootImage.Run::size).containsExactly(0x3000L, 0x1000L, 0x2000L);
        assertThat(image.runs().get(2).pages()).hasSize(2);
        assertThat(image.runs().get(2).pages().get(1)).isSameAs(pages.get(0x100001L));
    }

    @Test
    void noPagesNoRuns() {
        assertThat(new BootImage(MemoryLayout.forSize(1L << 20), new TreeMap<>(), null).runs()).isEmpty();
    }
}
