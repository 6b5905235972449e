package userboot4j.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import userboot4j.BootException;
import userboot4j.BootImage;

/**
 * Guest memory as a sparse file at least the size of lowmem: each written page at its guest physical offset,
 * the rest holes, like the oracle's --dump.
 */
final class MemoryDump {
    private MemoryDump() {
    }

    static void write(BootImage image, Path file) throws BootException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Map.Entry<Long, byte[]> p : image.pages().entrySet()) {
                ch.write(ByteBuffer.wrap(p.getValue()), p.getKey() * BootImage.PAGE_SIZE);
            }
            long end = image.memory().lowmem();
            if (ch.size() < end) {
                ch.write(ByteBuffer.wrap(new byte[1]), end - 1);
            }
        } catch (IOException e) {
            throw new BootException.Io(file + ": cannot write the memory dump: " + e.getMessage(), e);
        }
    }
}
