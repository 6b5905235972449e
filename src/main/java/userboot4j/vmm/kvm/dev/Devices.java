package userboot4j.vmm.kvm.dev;

/** The device model `run` gives a guest: COM1, the RTC/CMOS and an empty PCI configuration space. */
public final class Devices {
    private Devices() {
    }

    public static IoBus standard(Uart16550 com1) {
        IoBus bus = new IoBus();
        bus.register(Uart16550.COM1, 8, com1);
        bus.register(Cmos.PORT, 2, new Cmos());
        bus.register(PciConfigNoDevice.ADDRESS, PciConfigNoDevice.COUNT, new PciConfigNoDevice());
        return bus;
    }
}
