package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import userboot4j.vmm.RunResult;

/** `run`'s exit status for the ways a guest ends itself through ACPI (docs/RUN.md). */
class RunVerdictTest {
    private static int verdict(RunResult.Outcome outcome, StringWriter err) {
        return RunCommand.verdict(new RunResult(outcome, 0, "the reason", ""),
                () -> false, new PrintWriter(err, true));
    }

    @Test
    void powerOffAndRebootHaveTheirOwnStatuses() {
        StringWriter off = new StringWriter();
        assertThat(verdict(RunResult.Outcome.POWER_OFF, off)).isEqualTo(4);
        assertThat(off.toString()).isEqualTo("userboot4j: the reason" + System.lineSeparator());
        StringWriter reboot = new StringWriter();
        assertThat(verdict(RunResult.Outcome.REBOOT, reboot)).isEqualTo(5);
        assertThat(reboot.toString()).isEqualTo("userboot4j: the reason; run does not restart it"
                + System.lineSeparator());
    }
}
