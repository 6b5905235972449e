package userboot4j.vmm.kvm.dev;

import java.util.function.Consumer;
import userboot4j.vmm.acpi.Fadt;

/**
 * The three one-byte registers our FADT names (vmm.acpi.Fadt): SLP_EN with SLP_TYP 5 written to the Sleep
 * Control Register is ACPI power-off, RESET_VALUE written to the Reset Register a reboot; each is handed
 * to {@code request} for the run to end. The Sleep Status Register between them takes ACPICA's "clear
 * WAK_STS" and reads 0: the machine never wakes. Other values do nothing.
 */
public final class SleepResetRegisters implements IoPort {
    private final Consumer<IoBus.Request> request;

    public SleepResetRegisters(Consumer<IoBus.Request> request) {
        this.request = request;
    }

    @Override
    public int in(int port, int size) {
        return 0;
    }

    @Override
    public void out(int port, int size, int value) {
        int b = value & 0xff;
        if (port == Fadt.SLEEP_CONTROL_PORT && b == Fadt.S5_SLEEP_CONTROL_VALUE) {
            request.accept(IoBus.Request.POWER_OFF);
        } else if (port == Fadt.RESET_PORT && b == Fadt.RESET_VALUE) {
            request.accept(IoBus.Request.REBOOT);
        }
    }
}
