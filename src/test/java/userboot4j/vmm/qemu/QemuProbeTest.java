package userboot4j.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import userboot4j.BootImage;
import userboot4j.testsupport.Require;
import userboot4j.vmm.ProbeContract;
import userboot4j.vmm.RunResult;

/**
 * The probe contract under QEMU: TCG here, KVM acceleration where the host has VMX or SVM. QEMU's
 * register dump comes with a fault it can see (TCG's triple fault) and with a time limit.
 */
class QemuProbeTest extends ProbeContract {
    @BeforeEach
    void needQemu() {
        Require.qemu();
    }

    @Override
    protected Run run(BootImage image, long timeoutMillis) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (QemuVm vm = QemuVm.create()) {
            vm.load(image);
            RunResult r = vm.run(List.of(), false, QemuVm.accel(), out, null, timeoutMillis, () -> false);
            return new Run(r, out.toString(StandardCharsets.ISO_8859_1));
        }
    }

    @Override
    protected void assertFaultDetails(Run run) {
        assertThat(run.result().reason()).contains("triple fault");
    }

    @Override
    protected void assertTimeoutDetails(BootImage image, Run run) {
        assertThat(run.result().registers()).contains(String.format("RIP=%016x", image.entry().rip()));
    }
}
