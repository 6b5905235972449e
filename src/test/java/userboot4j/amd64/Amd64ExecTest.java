package userboot4j.amd64;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import userboot4j.memory.MemoryLayout;
import userboot4j.memory.SparseMemory;

/** The hand-off pages and registers, with expected words from the reference (§2.2, §3). */
class Amd64ExecTest {
    @Test
    void pagesAndRegisters() throws Exception {
        SparseMemory mem = new SparseMemory(MemoryLayout.forSize(256L << 20));
        EntryState e = Amd64Exec.exec(mem, 0xffffffff8038b000L, 0x23ec000, 0x23ef000);
        ByteBuffer stack = ByteBuffer.wrap(mem.copyout(0x1000, 4096)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(stack.getInt(0)).isZero();
        assertThat(stack.getInt(4)).isEqualTo(0x23ec000);
        assertThat(stack.getInt(8)).isEqualTo(0x23ef000);
        for (int i = 12; i < 4096; i += 4) {
            assertThat(stack.getInt(i)).isZero();
        }
        ByteBuffer pml4 = ByteBuffer.wrap(mem.copyout(0x2000, 4096)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer pdpt = ByteBuffer.wrap(mem.copyout(0x3000, 4096)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer pd = ByteBuffer.wrap(mem.copyout(0x4000, 4096)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 512; i++) {
            assertThat(pml4.getLong(i * 8)).isEqualTo(0x3003L);
            assertThat(pdpt.getLong(i * 8)).isEqualTo(0x4003L);
            assertThat(pd.getLong(i * 8)).isEqualTo(i * 0x200000L + 0x83);
        }
        ByteBuffer gdt = ByteBuffer.wrap(mem.copyout(0x5000, 24)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(gdt.getLong(0)).isZero();
        assertThat(gdt.getLong(8)).isEqualTo(0x0020980000000000L);
        assertThat(gdt.getLong(16)).isEqualTo(0x0000900000000000L);

        assertThat(e.rip()).isEqualTo(0xffffffff8038b000L);
        assertThat(e.rsp()).isEqualTo(0x1000);
        assertThat(e.rflags()).isEqualTo(0x2);
        assertThat(e.cr0()).isEqualTo(0x80000021L);
        assertThat(e.cr3()).isEqualTo(0x2000);
        assertThat(e.cr4()).isEqualTo(0x20);
        assertThat(e.efer()).isEqualTo(0x500);
        assertThat(e.gdtrBase()).isEqualTo(0x5000);
        assertThat(e.gdtrLimit()).isEqualTo(23);
        assertThat(e.cs()).isEqualTo(new Segment(0x8, 0, 0, 0x209b));
        for (Segment s : new Segment[] {e.ds(), e.es(), e.fs(), e.gs(), e.ss()}) {
            assertThat(s).isEqualTo(new Segment(0x10, 0, 0, 0x93));
        }
        assertThat(e.tr()).isEqualTo(new Segment(0, 0, 0, 0x8b));
        assertThat(e.ldtr()).isEqualTo(new Segment(0, 0, 0, 0x10000));
    }
}
