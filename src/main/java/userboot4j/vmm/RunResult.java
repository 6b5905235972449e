package userboot4j.vmm;

/**
 * How a guest run ended: what happened, the value the guest wrote to the exit port (if it did) of which
 * the engine saw the low {@code exitBits} bits, a one-line reason and the vCPU's registers at the end
 * (empty when they could not be read).
 */
public record RunResult(Outcome outcome, long exitValue, int exitBits, String reason, String registers) {
    public RunResult(Outcome outcome, long exitValue, String reason, String registers) {
        this(outcome, exitValue, 32, reason, registers);
    }

    /** True when what the guest wrote to the exit port can have been {@code value}. */
    public boolean exitValueIs(long value) {
        long mask = (1L << exitBits) - 1;
        return outcome == Outcome.EXIT_PORT && exitValue == (value & mask);
    }

    public enum Outcome {
        /** The guest wrote its verdict to the exit port. */
        EXIT_PORT,
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
        /** The guest powered off through ACPI. */
        POWER_OFF,
        /** The guest rebooted through the ACPI reset register. */
        REBOOT,
        /** The hypervisor itself failed (QEMU refused to start, or died). */
        ENGINE_ERROR,
        /** An exit this backend does not handle (e.g. MMIO to unmapped memory). */
        UNHANDLED_EXIT
    }
}
