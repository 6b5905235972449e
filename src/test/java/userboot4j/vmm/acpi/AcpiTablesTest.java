package userboot4j.vmm.acpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;

/**
 * Our firmware tables read by ACPICA's own tools (Debian's acpica-tools): acpixtract finds every table in
 * an acpidump-style listing of them, iasl disassembles each without error, showing the fields meant, and
 * compiles the DSDT's disassembly back to the same AML; acpiexec runs ACPICA's own power-off on them.
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

    /** iasl's listing gives each field's offset: those of ACPI 6.x's FADT (Reset 116, its value 128, Sleep 244/256). */
    @Test
    void fadtHasTheResetAndSleepRegistersAsOneByteIoPorts() throws Exception {
        String d = dsl("facp");
        assertThat(d).contains("Reset Register Supported (V2) : 1", "[080h 0128 1] Value to cause reset : 01");
        assertThat(d).containsPattern(ioByte("074h 0116", "Reset Register", "0406"));
        assertThat(d).containsPattern(ioByte("0F4h 0244", "Sleep Control Register", "0404"));
        assertThat(d).containsPattern(ioByte("100h 0256", "Sleep Status Register", "0405"));
        assertThat(List.of(Fadt.SLEEP_CONTROL_PORT, Fadt.SLEEP_STATUS_PORT, Fadt.RESET_PORT))
                .containsExactly(0x404, 0x405, 0x406);
        assertThat(Fadt.S5_SLEEP_CONTROL_VALUE).as("SLP_EN | SLP_TYP 5 << 2").isEqualTo(0x34);
        assertThat(Fadt.RESET_VALUE).isEqualTo(1);
    }

    /** A Generic Address Structure as iasl lists it: SystemIO, 8 bits at offset 0, byte access, the port. */
    private static String ioByte(String at, String name, String port) {
        return Pattern.quote("[" + at + " 12] " + name + " : [Generic Address Structure]")
                + "\\n.*Space ID : 01 \\[SystemIO\\]\\n.*Bit Width : 08\\n.*Bit Offset : 00\\n"
                + ".*Encoded Access Width : 01 \\[Byte Access:8\\]\\n.*Address : 000000000000" + port + "\\n";
    }

    /**
     * ACPICA's own S5 entry (acpiexec's "sleep 5", the AcpiEnterSleepStatePrep/AcpiEnterSleepState pair
     * FreeBSD calls) on our FADT and DSDT: SLP_TYP 5 from \_S5, then WAK_STS to the Sleep Status Register
     * and SLP_EN | SLP_TYP to the Sleep Control Register, one byte each (its I/O trace, debug level
     * ACPI_LV_IO | ACPI_LV_INIT).
     */
    @Test
    void acpicaPowersOffThroughTheSleepControlRegister() throws Exception {
        Require.tool("acpiexec");
        Processes.Result r = Processes.exec(List.of("acpiexec", "-x", "0x04000004", "-b", "sleep 5", "facp.dat",
                "dsdt.dat"), dir);
        String out = r.out() + r.err();
        assertThat(r.status()).as(out).isZero();
        assertThat(out).doesNotContainIgnoringCase("error").doesNotContainIgnoringCase("exception")
                .contains("Register values for sleep state S5: Sleep-A: 05, Sleep-B: 05");
        String wakStatus = "Wrote: 0000000000000080 width  8   to 0000000000000405 (SystemIO)";
        String slpEn = "Wrote: 0000000000000034 width  8   to 0000000000000404 (SystemIO)";
        assertThat(out).contains(wakStatus, slpEn);
        assertThat(out.indexOf(wakStatus)).isLessThan(out.indexOf(slpEn));
    }

    @Test
    void dsdtDeclaresThePciHostBridgeAndTheWindowsItDecodes() throws Exception {
        String d = dsl("dsdt");
        assertThat(d).contains("Scope (\\_SB)", "Device (PCI0)", "Name (_HID, EisaId (\"PNP0A03\")",
                "Name (_ADR, Zero)", "Name (_UID, Zero)", "Name (_BBN, Zero)");
        String crs = d.substring(d.indexOf("Name (_CRS"), d.indexOf("Name (_PRT"));
        assertThat(crs.replaceAll("\\s+", " ")).containsSubsequence(
                "WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode, 0x0000, // Granularity "
                        + "0x0000, // Range Minimum 0x00FF, // Range Maximum 0x0000, // Translation Offset "
                        + "0x0100, // Length",
                "IO (Decode16, 0x0CF8, // Range Minimum 0x0CF8, // Range Maximum 0x01, // Alignment 0x08, // Length",
                "WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0x0000, // Granularity "
                        + "0x0000, // Range Minimum 0x0CF7, // Range Maximum 0x0000, // Translation Offset "
                        + "0x0CF8, // Length",
                "WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0x0000, // Granularity "
                        + "0x0D00, // Range Minimum 0xFFFF, // Range Maximum 0x0000, // Translation Offset "
                        + "0xF300, // Length",
                "DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite, "
                        + "0x00000000, // Granularity 0x000A0000, // Range Minimum 0x000BFFFF, // Range Maximum "
                        + "0x00000000, // Translation Offset 0x00020000, // Length",
                "DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite, "
                        + "0x00000000, // Granularity 0xC0000000, // Range Minimum 0xFEBFFFFF, // Range Maximum "
                        + "0x00000000, // Translation Offset 0x3EC00000, // Length");
    }

    /**
     * QEMU's PIIX3 (hw/isa/piix3.c, pci_slot_get_pirq) puts INTx pin p (0 = INTA) of slot s on PIRQ
     * (s − 1 + p) mod 4, and SeaBIOS routes PIRQA–D to IRQ 10, 10, 11, 11: expected values worked out by
     * hand from that, then every one of the 124 entries against the same formula.
     */
    @Test
    void prtRoutesEverySlotAndPinThroughPiix3() throws Exception {
        String d = dsl("dsdt").replaceAll("\\s+", "");
        assertThat(d).contains("Name(_PRT,Package(0x7C)");
        Matcher m = Pattern.compile(
                "Package\\(0x04\\)\\{0x00([0-9A-F]{2})FFFF,(Zero|One|0x02|0x03),Zero,0x([0-9A-F]{2})\\}").matcher(d);
        Map<String, Integer> gsi = new HashMap<>();
        while (m.find()) {
            int pin = switch (m.group(2)) {
                case "Zero" -> 0;
                case "One" -> 1;
                default -> Integer.decode(m.group(2));
            };
            assertThat(gsi.put(Integer.parseInt(m.group(1), 16) + "/" + pin, Integer.parseInt(m.group(3), 16)))
                    .as("one entry per slot and pin").isNull();
        }
        assertThat(gsi).hasSize(124);
        assertThat(gsi).contains(entry("1/0", 10), entry("1/3", 11), entry("2/0", 10), entry("3/0", 11),
                entry("4/0", 11), entry("5/0", 10), entry("3/2", 10), entry("31/3", 10));
        int[] irqOfPirq = {10, 10, 11, 11};
        for (int slot = 1; slot <= 31; slot++) {
            for (int pin = 0; pin < 4; pin++) {
                assertThat(gsi.get(slot + "/" + pin)).as("slot %d pin %d", slot, pin)
                        .isEqualTo(irqOfPirq[(slot - 1 + pin) % 4]);
            }
        }
    }

    @Test
    void comPortsAreDeclaredUnderPiix3AsBhyveDeclaresThem() throws Exception {
        String d = dsl("dsdt").replaceAll("\\s+", " ");
        assertThat(d).containsSubsequence("Device (ISA) { Name (_ADR, 0x00010000)",
                "Device (COM1) { Name (_HID, EisaId (\"PNP0501\")", "Name (_UID, One)",
                "IO (Decode16, 0x03F8, // Range Minimum 0x03F8, // Range Maximum 0x01, // Alignment 0x08, // Length ) "
                        + "IRQNoFlags () {4}",
                "Device (COM2) { Name (_HID, EisaId (\"PNP0501\")", "Name (_UID, 0x02)",
                "IO (Decode16, 0x02F8, // Range Minimum 0x02F8, // Range Maximum 0x01, // Alignment 0x08, // Length ) "
                        + "IRQNoFlags () {3}");
    }

    @Test
    void s5GivesSleepTypeFive() throws Exception {
        assertThat(dsl("dsdt").replaceAll("\\s+", " ")).contains("Name (_S5, Package (0x04) // _S5_: S5 System State "
                + "{ 0x05, 0x05, Zero, Zero })");
    }

    /**
     * iasl compiles its own disassembly of our DSDT, optimizations off, back to the same AML. Its one warning
     * is that PCI0 has both _HID and _ADR, which QEMU's and bhyve's DSDTs have too; FreeBSD's acpi_pcib
     * reads _ADR to find the host bridge's PCI function.
     */
    @Test
    void disassembledDsdtCompilesBackToTheSameAml() throws Exception {
        Processes.Result r = Processes.exec(List.of("iasl", "-oa", "-p", "recompiled", "dsdt.dsl"), dir);
        String out = r.out() + r.err();
        assertThat(r.status()).as(out).isZero();
        assertThat(out).contains("Compilation successful. 0 Errors, 1 Warnings",
                "(Device object requires either a _HID or _ADR, but not both)");
        byte[] ours = tables.get(AcpiTables.DSDT);
        byte[] theirs = Files.readAllBytes(dir.resolve("recompiled.aml"));
        assertThat(Arrays.copyOfRange(theirs, SdtHeader.SIZE, theirs.length))
                .isEqualTo(Arrays.copyOfRange(ours, SdtHeader.SIZE, ours.length));
    }

    @Test
    void tablesDoNotOverlapAndStayInTheBiosArea() {
        long end = 0;
        for (Map.Entry<Long, byte[]> t : tables.entrySet()) {
            assertThat(t.getKey()).as("table at 0x%x", t.getKey()).isGreaterThanOrEqualTo(Math.max(end, 0xe0000));
            end = t.getKey() + t.getValue().length;
        }
        assertThat(end).isLessThanOrEqualTo(0x100000);
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
