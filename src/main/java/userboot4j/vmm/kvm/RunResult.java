package userboot4j.vmm.kvm;

/**
 * How a guest run ended: what happened, the value the guest wrote to the exit port (if it did), a one-line
 * reason and the vCPU's registers at the end (empty when they could not be read).
 */
public record RunResult(Outcome outcome, long exitValue, String reason, String registers) {
    public enum Outcome {
        /** The guest wrote its verdict to the exit port. */
        EXIT_PORT,
        /** The guest powered off through ACPI (S5 in the FADT's Sleep Control Register). */
        POWER_OFF,
        /** The guest asked for a reboot through ACPI (the FADT's Reset Register). */
        REBOOT,
        /** The console script ran to its end. */
        SCRIPT_DONE,
        /** Triple fault or another shutdown of the vCPU. */
        SHUTDOWN,
        /** The CPU refused the entry state. */
        FAIL_ENTRY,
        /** KVM could not go on, e.g. an instruction it cannot emulate. */
        INTERNAL_ERROR,
        /** Halted with interrupts disabled: nothing can wake it. */
        HALTED,
        /** The wall-clock limit passed. */
        TIMEOUT,
        /** The guest asked for a reset or power-off. */
        SYSTEM_EVENT,
        /** An exit this backend does not handle (e.g. MMIO to unmapped memory). */
        UNHANDLED_EXIT
    }
}
