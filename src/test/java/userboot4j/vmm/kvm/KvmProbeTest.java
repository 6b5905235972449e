package userboot4j.vmm.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import userboot4j.BootImage;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;
import userboot4j.vmm.ProbeContract;
import userboot4j.vmm.RunResult;
import userboot4j.vmm.kvm.dev.IoBus;
import userboot4j.vmm.kvm.dev.Uart16550;

/**
 * The probe contract on the own KVM backend, which also reports the vCPU's registers on a fault or a time
 * limit, and notices a guest halted with interrupts off.
 */
class KvmProbeTest extends ProbeContract {
    @BeforeEach
    void needKvm() {
        Require.kvm();
    }

    @Override
    protected Run run(BootImage image, long timeoutMillis) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (KvmVm vm = KvmVm.create(image.memory())) {
            vm.load(image);
            IoBus bus = new IoBus();
            bus.register(Uart16550.COM1, 8, new Uart16550(Uart16550.COM1, out, null));
            RunResult r = vm.run(bus, timeoutMillis);
            return new Run(r, out.toString(StandardCharsets.ISO_8859_1));
        }
    }

    @Override
    protected void assertFaultDetails(Run run) {
        assertThat(run.result().registers()).contains("rip").contains("cr3");
    }

    @Override
    protected void assertTimeoutDetails(BootImage image, Run run) {
        assertThat(run.result().registers()).contains("rip    0x" + Long.toHexString(image.entry().rip()));
    }

    @Test
    void guestHaltedWithInterruptsOffIsReported() throws Exception {
        BootImage i = boot(Trees.probe(), 256L << 20, List.of());
        long start = System.nanoTime();
        Run r = run(withCodeAtEntry(i, new byte[] {(byte) 0xfa, (byte) 0xf4, (byte) 0xeb, (byte) 0xfc}), 60_000);
        assertThat(r.result().outcome()).as(r.result().reason()).isEqualTo(RunResult.Outcome.HALTED);
        assertThat(System.nanoTime() - start).isLessThan(30_000_000_000L);
    }
}
