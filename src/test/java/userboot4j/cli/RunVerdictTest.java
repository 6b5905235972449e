package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import userboot4j.vmm.kvm.RunResult;
import userboot4j.vmm.kvm.dev.Uart16550;

/** `run`'s exit status for the ways a guest ends itself through ACPI (docs/RUN.md). */
class RunVerdictTest {
    private static int verdict(RunResult.Outcome outcome, StringWriter err) {
        return RunCommand.verdict(new RunResult(outcome, 0, "the reason", ""),
                new Uart16550(Uart16550.COM1, new ByteArrayOutputStream(), null), new PrintWriter(err, true));
    }

    @Test
    void powerOffIsACleanEndAndARebootHasItsOwnStatus() {
        StringWriter off = new StringWriter();
        assertThat(verdict(RunResult.Outcome.POWER_OFF, off)).isZero();
        assertThat(off.toString()).isEmpty();
        StringWriter reboot = new StringWriter();
        assertThat(verdict(RunResult.Outcome.REBOOT, reboot)).isEqualTo(4);
        assertThat(reboot.toString()).isEqualTo("userboot4j: the reason; run does not restart it"
                + System.lineSeparator());
    }
}
