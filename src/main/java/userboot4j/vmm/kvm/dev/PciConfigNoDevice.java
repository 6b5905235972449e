package userboot4j.vmm.kvm.dev;

/**
 * PCI configuration mechanism #1 (0xcf8 address, 0xcfc–0xcff data) with no device behind it: the address
 * register reads back what was written, every configuration read returns all ones.
 */
public final class PciConfigNoDevice implements IoPort {
    public static final int ADDRESS = 0xcf8;
    public static final int COUNT = 8;
    private int address;

    @Override
    public int in(int port, int size) {
        if (port == ADDRESS && size == 4) {
            return address;
        }
        return (int) ((1L << (8 * size)) - 1);
    }

    @Override
    public void out(int port, int size, int value) {
        if (port == ADDRESS && size == 4) {
            address = value;
        }
    }
}
