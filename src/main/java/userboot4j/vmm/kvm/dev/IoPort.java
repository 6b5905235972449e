package userboot4j.vmm.kvm.dev;

/** A device on the guest's I/O port bus. Values are {@code size} bytes (1, 2 or 4), little-endian. */
public interface IoPort {
    int in(int port, int size);

    void out(int port, int size, int value);
}
