package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import userboot4j.BootException;

/** bhyveload -m syntax (vm_parse_memsize: small plain numbers are megabytes). */
class MemSizeTest {
    @Test
    void sizes() throws Exception {
        assertThat(MemSize.parse("512")).isEqualTo(512L << 20);
        assertThat(MemSize.parse("512M")).isEqualTo(512L << 20);
        assertThat(MemSize.parse("1g")).isEqualTo(1L << 30);
        assertThat(MemSize.parse("2097152")).isEqualTo(2097152L);
        assertThat(MemSize.parse("64k")).isEqualTo(65536L);
        assertThatThrownBy(() -> MemSize.parse("lots")).isInstanceOf(BootException.Usage.class);
    }
}
