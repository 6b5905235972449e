package userboot4j.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import userboot4j.BootImage;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;
import userboot4j.vmm.ProbeContract;

/**
 * The firmware image: the committed stub is what GNU as makes of its source, the reset vector jumps to it
 * (as objdump decodes it), and the ACPI tables sit where a guest's scan of the BIOS area finds them.
 */
class FirmwareTest {
    @Test
    void committedStubIsItsSourceAssembled(@TempDir Path dir) throws Exception {
        Require.tool("as");
        Require.tool("ld");
        Path out = dir.resolve("entry.bin");
        Processes.run(List.of("sh", Path.of("src/main/asm/build.sh").toAbsolutePath().toString(), out.toString()), null);
        byte[] committed;
        try (var in = Firmware.class.getResourceAsStream("entry.bin")) {
            committed = in.readAllBytes();
        }
        assertThat(Files.readAllBytes(out)).as("src/main/asm/build.sh was not run after a change to qemu-entry.S")
                .isEqualTo(committed);
    }

    @Test
    void resetVectorJumpsToTheStubAndTablesAreInTheBiosArea(@TempDir Path dir) throws Exception {
        Require.tool("objdump");
        BootImage image = ProbeContract.boot(Trees.probe(), 256L << 20, List.of()).image();
        byte[] fw = Firmware.build(image.entry());
        assertThat(fw).hasSize(128 * 1024);
        Path f = dir.resolve("fw.bin");
        Files.write(f, fw);
        // the CPU starts at CS:IP f000:fff0, which the top of this image also appears at
        String reset = Processes.run(List.of("objdump", "-D", "-b", "binary", "-m", "i8086",
                "--start-address=0x1fff0", "--stop-address=0x1fff5", f.toString()), null);
        assertThat(reset).contains("ljmp   $0xf000,$0xf000");
        // the stub's first instruction, at 0xff000, is cli
        assertThat(fw[0xff000 - 0xe0000]).isEqualTo((byte) 0xfa);
        int rsdp = 0xf2400 - 0xe0000;
        assertThat(new String(Arrays.copyOfRange(fw, rsdp, rsdp + 8), StandardCharsets.US_ASCII)).isEqualTo("RSD PTR ");
    }
}
