package userboot4j.vmm.qemu;

import userboot4j.vmm.RunResult;
import userboot4j.vmm.acpi.Fadt;

/**
 * What QEMU's exit status says about the guest. An {@code isa-debug-exit} device ends QEMU with
 * {@code (value << 1) | 1}, of which a process status keeps 8 bits: the low 7 bits of what the guest
 * wrote. Power-off and reset write fixed values to their own registers, chosen so that their statuses
 * differ from each other and from the probe kernel's verdict.
 */
final class QemuExit {
    private QemuExit() {
    }

    static int status(int value) {
        return ((value << 1) | 1) & 0xff;
    }

    /** The run's outcome from QEMU's exit status and what it logged (its stderr and CPU-reset log). */
    static RunResult outcome(int status, String log) {
        if (status == status(Fadt.S5_SLEEP_CONTROL_VALUE)) {
            return new RunResult(RunResult.Outcome.POWER_OFF, 0, "the guest powered off", "");
        }
        if (status == status(Fadt.RESET_VALUE)) {
            return new RunResult(RunResult.Outcome.REBOOT, 0, "the guest rebooted", "");
        }
        if ((status & 1) == 1 && status != 1) {
            int low = status >> 1;
            return new RunResult(RunResult.Outcome.EXIT_PORT, low, 7, String.format(
                    "the guest wrote a value ending in 0x%x (QEMU passes on its low 7 bits) to the exit port", low), "");
        }
        if (status == 0) {
            if (log.contains("Triple fault")) {
                return new RunResult(RunResult.Outcome.SHUTDOWN, 0, "triple fault: the vCPU was reset", "");
            }
            return new RunResult(RunResult.Outcome.SHUTDOWN, 0,
                    "the guest reset the machine without the ACPI reset register (a triple fault, or a keyboard-controller reset)", "");
        }
        String line = firstLine(log);
        return new RunResult(RunResult.Outcome.ENGINE_ERROR, status,
                "QEMU failed (status " + status + ")" + (line.isEmpty() ? "" : ": " + line), "");
    }

    private static String firstLine(String log) {
        for (String l : log.split("\n")) {
            if (!l.isBlank()) {
                return l.strip();
            }
        }
        return "";
    }
}
