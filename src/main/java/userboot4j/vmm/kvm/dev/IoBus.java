package userboot4j.vmm.kvm.dev;

import java.util.TreeMap;

/**
 * The guest's I/O ports: devices registered on ranges; every other port reads as all ones and ignores
 * writes, as an empty ISA bus does.
 */
public final class IoBus {
    private record Range(int first, int last, IoPort device) {
    }

    private final TreeMap<Integer, Range> ranges = new TreeMap<>();

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
}
