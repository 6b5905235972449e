package userboot4j.vmm.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import org.junit.jupiter.api.Test;
import userboot4j.amd64.Segment;

/** bhyve's VMX access rights into struct kvm_segment fields (Intel SDM vol. 3, 24.4.1; linux/kvm.h). */
class KvmSegmentsTest {
    @Test
    void longModeCodeSegment() {
        Memory m = new Memory(24);
        m.clear();
        KvmSegments.write(m, 0, new Segment(0x8, 0, 0, 0x209b));
        assertThat(m.getShort(12)).isEqualTo((short) 8);
        assertThat(m.getByte(14)).as("type").isEqualTo((byte) 0xb);
        assertThat(m.getByte(15)).as("present").isEqualTo((byte) 1);
        assertThat(m.getByte(16)).as("dpl").isEqualTo((byte) 0);
        assertThat(m.getByte(17)).as("db").isEqualTo((byte) 0);
        assertThat(m.getByte(18)).as("s").isEqualTo((byte) 1);
        assertThat(m.getByte(19)).as("l").isEqualTo((byte) 1);
        assertThat(m.getByte(20)).as("g").isEqualTo((byte) 0);
        assertThat(m.getByte(22)).as("unusable").isEqualTo((byte) 0);
        assertThat(KvmSegments.read(m, 0)).isEqualTo(new Segment(0x8, 0, 0, 0x209b));
    }

    @Test
    void flat32DataTssAndUnusableLdt() {
        Memory m = new Memory(24);
        for (Segment s : new Segment[] {new Segment(0x10, 0, 0xffffffffL, 0xc093),
            new Segment(0x18, 0x4000, 103, 0x8b), new Segment(0, 0, 0, 0x10000)}) {
            m.clear();
            KvmSegments.write(m, 0, s);
            assertThat(KvmSegments.read(m, 0)).isEqualTo(s);
        }
        KvmSegments.write(m, 0, new Segment(0x10, 0, 0xffffffffL, 0xc093));
        assertThat(m.getInt(8)).isEqualTo(-1);
        assertThat(m.getByte(17)).as("db").isEqualTo((byte) 1);
        assertThat(m.getByte(20)).as("g").isEqualTo((byte) 1);
        m.clear();
        KvmSegments.write(m, 0, new Segment(0, 0, 0, 0x10000));
        assertThat(m.getByte(22)).as("unusable").isEqualTo((byte) 1);
    }
}
