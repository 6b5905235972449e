package userboot4j.vmm.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import userboot4j.BootImage;
import userboot4j.testsupport.Require;
import userboot4j.vmm.ProbeContract;
import userboot4j.vmm.RunResult;
import userboot4j.vmm.kvm.dev.IoBus;
import userboot4j.vmm.kvm.dev.Uart16550;

/**
 * The probe contract on the own KVM backend, which reports the vCPU's registers on a fault or a time limit.
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
}
