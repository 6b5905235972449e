package userboot4j.vmm.acpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;

/**
 * Our firmware tables read by ACPICA's own tools (Debian's acpica-tools): acpixtract finds every table in
 * an acpidump-style listing of them, and iasl disassembles each without error, showing the fields meant.
 */
class AcpiTablesTest {
    @TempDir
    static Path dir;
    static Map<Long, byte[]> tables;

    @BeforeAll
    static void extractAndDisassemble() throws Exception {
        Require.tool("iasl");
        Require.tool("acpixtract");
        tables = AcpiTables.build();
        String[] sig = {"RSDP", "RSDT", "XSDT", "APIC", "FACP", "FACS", "DSDT"};
        StringBuilder dump = new StringBuilder();
        int n = 0;
        for (Map.Entry<Long, byte[]> t : tables.entrySet()) {
            dump.append(String.format("%s @ 0x%016X%n", sig[n++], t.getKey()));
            byte[] b = t.getValue();
            for (int i = 0; i < b.length; i += 16) {
                dump.append(String.format("    %04X:", i));
                for (int j = i; j < Math.min(b.length, i + 16); j++) {
                    dump.append(String.format(" %02X", b[j]));
                }
                dump.append('\n');
            }
            dump.append('\n');
        }
        Files.writeString(dir.resolve("acpidump.txt"), dump);
        String x = Processes.run(List.of("acpixtract", "-a", "acpidump.txt"), dir);
        for (String s : sig) {
            assertThat(x).contains(s + " -");
        }
        for (String s : List.of("rsdt", "xsdt", "apic", "facp", "facs", "dsdt")) {
            Processes.Result r = Processes.exec(List.of("iasl", "-d", s + ".dat"), dir);
            assertThat(r.status()).as(s + ": " + r.out() + r.err()).isZero();
            assertThat(r.out() + r.err()).as(s).doesNotContainIgnoringCase("error").doesNotContainIgnoringCase("warning");
        }
    }

    private static String dsl(String name) throws Exception {
        return Files.readString(dir.resolve(name + ".dsl")).replaceAll("[ \\t]+", " ");
    }

    @Test
    void madtDescribesKvmsInterruptControllers() throws Exception {
        String d = dsl("apic");
        assertThat(d).contains("Local Apic Address : FEE00000", "PC-AT Compatibility : 1",
                "Subtable Type : 00 [Processor Local APIC]", "Local Apic ID : 00", "Processor Enabled : 1",
                "Subtable Type : 01 [I/O APIC]", "I/O Apic ID : 00", "Address : FEC00000",
                "Subtable Type : 04 [Local APIC NMI]", "Interrupt Input LINT : 01");
        assertThat(d).containsPattern("Source : 00\\n.*Interrupt : 00000002\\n.*Flags \\(decoded below\\) : 0005");
        assertThat(d).containsPattern("Source : 09\\n.*Interrupt : 00000009\\n.*Flags \\(decoded below\\) : 000D");
    }

    @Test
    void fadtIsHardwareReducedAndPointsAtFacsAndDsdt() throws Exception {
        assertThat(dsl("facp")).contains("Revision : 06", "FACS Address : 000F27C0", "DSDT Address : 000F2800",
                "SCI Interrupt : 0009", "Hardware Reduced (V5) : 1", "FACS Address : 00000000000F27C0",
                "DSDT Address : 00000000000F2800");
        assertThat(dsl("facs")).contains("Signature : \"FACS\"", "Length : 00000040");
        assertThat(dsl("dsdt")).contains("DefinitionBlock (\"\", \"DSDT\", 2, \"BHYVE \"");
    }

    @Test
    void rootTablesListMadtAndFadt() throws Exception {
        assertThat(dsl("xsdt")).contains("ACPI Table Address 0 : 00000000000F2500",
                "ACPI Table Address 1 : 00000000000F2600");
        assertThat(dsl("rsdt")).contains("ACPI Table Address 0 : 000F2500", "ACPI Table Address 1 : 000F2600");
    }

    /** iasl does not disassemble an RSDP on its own: its fields and both checksums per ACPI 5.2.5.3. */
    @Test
    void rsdpChecksumsAndPointers() {
        byte[] r = tables.get(AcpiTables.RSDP);
        ByteBuffer b = ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(r, 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RSD PTR ");
        int first = 0;
        int all = 0;
        for (int i = 0; i < 36; i++) {
            all += r[i];
            first += i < 20 ? r[i] : 0;
        }
        assertThat(first & 0xff).isZero();
        assertThat(all & 0xff).isZero();
        assertThat(r[15]).isEqualTo((byte) 2);
        assertThat(b.getInt(16)).isEqualTo(0xf2440);
        assertThat(b.getInt(20)).isEqualTo(36);
        assertThat(b.getLong(24)).isEqualTo(0xf2480);
        assertThat(AcpiTables.RSDP % 16).as("the kernel scans 16-byte boundaries").isZero();
    }
}
