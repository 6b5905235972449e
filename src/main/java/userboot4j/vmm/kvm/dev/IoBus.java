package userboot4j.vmm.kvm.dev;

import java.util.TreeMap;

/**
 * The guest's I/O ports: devices registered on ranges; every other port reads as all ones and ignores
 * writes, as an empty ISA bus does. A device may also pass on the guest's request to power off or reboot
 * ({@link #request}), which the run loop checks after each write.
 */
public final class IoBus {
    /** What the guest can ask of the machine through a device. */
    public enum Request {
        POWER_OFF,
        REBOOT
    }

    private record Range(int first, int last, IoPort device) {
    }

    private final TreeMap<Integer, Range> ranges = new TreeMap<>();
    private Request request;

    public void register(int first, int count, IoPort device) {
        ranges.put(first, new Range(first, first + count - 1, device));
    }

    private IoPort at(int port) {
        var e = ranges.floorEntry(port);
        return e != null && port <= e.getValue().last() ? e.getValue().device() : null;
    }

    public int in(int port, int size) {
        IoPort d = at(port);
        return d != null ? d.in(port, size) : (int) ((1L << (8 * size)) - 1);
    }

    public void out(int port, int size, int value) {
        IoPort d = at(port);
        if (d != null) {
            d.out(port, size, value);
        }
    }

    /** Called by a device: the guest asked for {@code r}. The first request stands. */
    public void request(Request r) {
        if (request == null) {
            request = r;
        }
    }

    /** What the guest asked for, or null while it runs on. */
    public Request requested() {
        return request;
    }
}
