package userboot4j.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import userboot4j.BootException;

/** vm_setup_memory's split and bhyveload's address mask (reference §1.2, §11.2). */
class SparseMemoryTest {
    @Test
    void layoutSplitsAtThreeGiB() {
        assertThat(MemoryLayout.forSize(1L << 30)).isEqualTo(new MemoryLayout(1L << 30, 0));
        assertThat(MemoryLayout.forSize(5L << 30)).isEqualTo(new MemoryLayout(3L << 30, 2L << 30));
    }

    @Test
    void kernelVirtualAddressesAreMasked() throws Exception {
        SparseMemory mem = new SparseMemory(MemoryLayout.forSize(256L << 20));
        mem.copyin(0xffffffff80200000L, new byte[] {1, 2, 3});
        assertThat(mem.copyout(0x200000, 3)).containsExactly(1, 2, 3);
        assertThat(mem.pages()).containsOnlyKeys(0x200L);
    }

    @Test
    void hugeMemoryCostsNothingUntilWritten() throws Exception {
        SparseMemory mem = new SparseMemory(MemoryLayout.forSize(1L << 40));
        assertThat(mem.copyout(0x1234, 16)).containsOnly(0);
        assertThat(mem.pages()).isEmpty();
    }

    @Test
    void writesPastLowmemAreKeptForTheRestOfTheBoot() throws Exception {
        SparseMemory mem = new SparseMemory(MemoryLayout.forSize(16L << 20));
        mem.copyin((16L << 20) - 2, new byte[] {1, 2, 3, 4});
        assertThat(mem.copyout((16L << 20) - 2, 4)).containsExactly(1, 2, 3, 4);
    }

    @Test
    void requireFitsNamesTheSizeInWholeMiB() throws Exception {
        SparseMemory mem = new SparseMemory(MemoryLayout.forSize(16L << 20));
        mem.copyin((16L << 20) - 4, new byte[4]);
        mem.requireFits(); // up to the last byte is no more than fits
        mem.copyin((16L << 20) - 2, new byte[4]);
        mem.zero((40L << 20) + 1, 3);
        assertThatThrownBy(mem::requireFits).isInstanceOf(BootException.GuestMemory.class)
                .hasMessage("guest memory (16 MiB) is too small for this boot: it needs at least 41 MiB"
                        + " (give -m 41M or more)");
    }

    /** A hostile kernel's 2 GiB bss with -m 16M: counted for the message, no page kept for it. */
    @Test
    void zeroPastLowmemKeepsNoPages() throws Exception {
        SparseMemory mem = new SparseMemory(MemoryLayout.forSize(16L << 20));
        mem.zero(8L << 20, 2L << 30);
        assertThat(mem.pages()).hasSize(2048);
        assertThatThrownBy(mem::requireFits).hasMessageContaining("it needs at least 2056 MiB");
    }

    /** Past the end of lowmem, at most 256 MiB of written pages are kept; the size needed counts them all. */
    @Test
    void writesPastLowmemKeepAtMost256MiB() throws Exception {
        SparseMemory mem = new SparseMemory(MemoryLayout.forSize(16L << 20));
        byte[] mib = new byte[1 << 20];
        for (long at = 16L << 20; at < 300L << 20; at += mib.length) {
            mem.copyin(at, mib);
        }
        assertThat(mem.pages()).hasSize(256 * 256);
        assertThatThrownBy(mem::requireFits).hasMessageContaining("it needs at least 300 MiB");
    }

    @Test
    void rangesNoMemorySizeHoldsAreRefused() {
        SparseMemory mem = new SparseMemory(MemoryLayout.forSize(16L << 20));
        assertThatThrownBy(() -> mem.zero(0x100000, 3L << 30))
                .isInstanceOf(BootException.GuestMemory.class)
                .hasMessageContaining("outside guest memory");
    }
}
