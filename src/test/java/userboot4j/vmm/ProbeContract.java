package userboot4j.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import userboot4j.BootImage;
import userboot4j.amd64.EntryState;
import userboot4j.fs.host.HostFileSystem;
import userboot4j.loader.PreparedBoot;
import userboot4j.loader.Userboot;
import userboot4j.testsupport.Trees;

/**
 * What every engine that runs a BootImage must do, shown by the probe kernel: its own report of the entry
 * state, stack words, modinfo records and environment is the image's; a broken hand-off ends in a reported
 * fault and a spinning guest in the time limit, never a hang, never a pass. Each engine's test class
 * extends this one and says how it runs an image.
 */
public abstract class ProbeContract {
    /** What the guest printed on COM1 and how the run ended. */
    public record Run(RunResult result, String console) {
    }

    /** Runs {@code image} on this engine, COM1 captured, for at most {@code timeoutMillis}. */
    protected abstract Run run(BootImage image, long timeoutMillis) throws Exception;

    /** Checks what this engine adds to a fault report (the KVM backend prints the registers). */
    protected void assertFaultDetails(Run run) {
    }

    public static PreparedBoot boot(Path tree, long memsize, List<String> env) throws Exception {
        try (HostFileSystem fs = HostFileSystem.open(tree)) {
            return Userboot.boot(fs, new Userboot.Options(memsize, env));
        }
    }

    private static void assertReportMatches(PreparedBoot prepared, Run run, boolean kern64) {
        assertThat(run.result().outcome()).as(run.result().reason() + "\n" + run.console())
                .isEqualTo(RunResult.Outcome.EXIT_PORT);
        assertThat(run.result().exitValueIs(0x600d)).as(run.result().reason()).isTrue();
        ProbeReport p = ProbeReport.parse(run.console());
        EntryState e = prepared.image().entry();
        // CR0.ET (0x10) is hardwired to 1 on every CPU since the Pentium; some engines' vCPUs show it
        assertThat(p.reg.get("cr0") & ~0x10L).isEqualTo(e.cr0());
        assertThat(p.reg).containsEntry("rsp", e.rsp()).containsEntry("rflags", e.rflags())
                .containsEntry("cr3", e.cr3()).containsEntry("cr4", e.cr4())
                .containsEntry("cs", (long) e.cs().selector()).containsEntry("ds", (long) e.ds().selector())
                .containsEntry("ss", (long) e.ss().selector()).containsEntry("gdtr_base", e.gdtrBase())
                .containsEntry("gdtr_limit", e.gdtrLimit());
        // EFER as the CPU reports it: LMA set by the CPU in long mode; the probe sees what the guest sees.
        assertThat(p.reg.get("efer") & 0x500).isEqualTo(e.efer());
        assertThat(p.stack).containsEntry("modulep", prepared.modulep())
                .containsEntry("kernend", prepared.kernend());
        assertThat(p.records).isEqualTo(ProbeReport.expectedRecords(prepared, kern64));
        assertThat(p.env).isEqualTo(prepared.env());
        assertThat(p.end).isEqualTo(String.format("records=%d files=%d env=%d", p.records.size(),
                prepared.files().size(), prepared.env().size()));
    }

    @Test
    void amd64ProbeReportsWhatWeHandedOver() throws Exception {
        PreparedBoot prepared = boot(Trees.probe(), 512L << 20, List.of("probe.engine=yes"));
        assertThat(prepared.files()).hasSize(5);
        assertReportMatches(prepared, run(prepared.image(), 30_000), true);
    }

    @Test
    void amd64ProbeWithHighmem() throws Exception {
        PreparedBoot prepared = boot(Trees.probe(), 5L << 30, List.of());
        assertReportMatches(prepared, run(prepared.image(), 30_000), true);
    }

    @Test
    void i386ProbeReportsWhatWeHandedOver() throws Exception {
        PreparedBoot prepared = boot(Trees.probe().resolve("i386"), 256L << 20, List.of("probe.engine=i386"));
        assertThat(prepared.image().entry().mode()).isEqualTo(EntryState.Mode.I386);
        assertReportMatches(prepared, run(prepared.image(), 30_000), false);
    }

    protected static BootImage withEntry(BootImage i, EntryState e) {
        return new BootImage(i.memory(), i.pages(), e);
    }

    private void assertFault(Run run) {
        assertThat(run.result().outcome()).as(run.result().reason() + "\n" + run.console())
                .isIn(RunResult.Outcome.SHUTDOWN, RunResult.Outcome.FAIL_ENTRY, RunResult.Outcome.INTERNAL_ERROR,
                        RunResult.Outcome.UNHANDLED_EXIT);
        assertThat(run.console()).doesNotContain("PROBE END");
        assertFaultDetails(run);
    }

    @Test
    void wrongCr3Faults() throws Exception {
        BootImage i = boot(Trees.probe(), 256L << 20, List.of()).image();
        EntryState e = i.entry();
        // A page of zeros as the PML4: nothing is mapped, the first fetch faults with no IDT to go to.
        assertFault(run(withEntry(i, new EntryState(e.mode(), e.rip(), e.rsp(), e.rflags(), e.cr0(), 0x9000,
                e.cr4(), e.efer(), e.gdtrBase(), e.gdtrLimit(), e.cs(), e.ds(), e.es(), e.fs(), e.gs(), e.ss(),
                e.tr(), e.ldtr())), 20_000));
    }

    @Test
    void badGdtEntryFaults() throws Exception {
        BootImage i = boot(Trees.probe(), 256L << 20, List.of()).image();
        // The code descriptor (GDT entry 1) zeroed: the probe's reload of CS from it must fault.
        assertFault(run(withBytes(i, i.entry().gdtrBase() + 8, new byte[8]), 20_000));
    }

    @Test
    void entryOutsideMappedMemoryFaults() throws Exception {
        BootImage i = boot(Trees.probe(), 256L << 20, List.of()).image();
        EntryState e = i.entry();
        // A non-canonical address: no page table can map it.
        assertFault(run(withEntry(i, new EntryState(e.mode(), 0x0000800000000000L, e.rsp(), e.rflags(), e.cr0(),
                e.cr3(), e.cr4(), e.efer(), e.gdtrBase(), e.gdtrLimit(), e.cs(), e.ds(), e.es(), e.fs(), e.gs(),
                e.ss(), e.tr(), e.ldtr())), 20_000));
    }

    /** The image with {@code code} at the kernel's entry point. */
    protected static BootImage withCodeAtEntry(BootImage i, byte[] code) {
        return withBytes(i, i.entry().rip() & 0x7fffffffL, code);
    }

    /** The image with {@code bytes} written at guest physical {@code pa} (within one page). */
    protected static BootImage withBytes(BootImage i, long pa, byte[] bytes) {
        TreeMap<Long, byte[]> pages = new TreeMap<>(i.pages());
        byte[] page = pages.get(pa / BootImage.PAGE_SIZE).clone();
        System.arraycopy(bytes, 0, page, (int) (pa % BootImage.PAGE_SIZE), bytes.length);
        pages.put(pa / BootImage.PAGE_SIZE, page);
        return new BootImage(i.memory(), pages, i.entry());
    }

    @Test
    void spinningGuestTimesOut() throws Exception {
        BootImage i = boot(Trees.probe(), 256L << 20, List.of()).image();
        long start = System.nanoTime();
        Run r = run(withCodeAtEntry(i, new byte[] {(byte) 0xeb, (byte) 0xfe}), 1_500);
        assertThat(r.result().outcome()).as(r.result().reason()).isEqualTo(RunResult.Outcome.TIMEOUT);
        assertThat(System.nanoTime() - start).isLessThan(15_000_000_000L);
        assertTimeoutDetails(i, r);
    }

    @Test
    void guestHaltedWithInterruptsOffIsReported() throws Exception {
        BootImage i = boot(Trees.probe(), 256L << 20, List.of()).image();
        long start = System.nanoTime();
        Run r = run(withCodeAtEntry(i, new byte[] {(byte) 0xfa, (byte) 0xf4, (byte) 0xeb, (byte) 0xfc}), 60_000);
        assertThat(r.result().outcome()).as(r.result().reason()).isEqualTo(RunResult.Outcome.HALTED);
        assertThat(System.nanoTime() - start).isLessThan(30_000_000_000L);
    }

    /** Checks what this engine adds to a time-limit report. */
    protected void assertTimeoutDetails(BootImage image, Run run) {
    }
}
