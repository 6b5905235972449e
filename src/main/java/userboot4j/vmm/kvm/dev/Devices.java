package userboot4j.vmm.kvm.dev;

import userboot4j.vmm.acpi.Fadt;

/**
 * The device model `run` gives a guest: COM1, the RTC/CMOS, an empty PCI configuration space and the
 * FADT's sleep and reset registers.
 */
public final class Devices {
    private Devices() {
    }

    public static IoBus standard(Uart16550 com1) {
        IoBus bus = new IoBus();
        bus.register(Uart16550.COM1, 8, com1);
        bus.register(Cmos.PORT, 2, new Cmos());
        bus.register(PciConfigNoDevice.ADDRESS, PciConfigNoDevice.COUNT, new PciConfigNoDevice());
        SleepResetRegisters acpi = new SleepResetRegisters(bus::request);
        for (int port : new int[] {Fadt.SLEEP_CONTROL_PORT, Fadt.SLEEP_STATUS_PORT, Fadt.RESET_PORT}) {
            bus.register(port, 1, acpi);
        }
        return bus;
    }
}
