package userboot4j.vmm.offline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import userboot4j.BootException;
import userboot4j.BootImage;
import userboot4j.vmm.Vmm;

/**
 * The offline backend: guest memory as a sparse file at least the size of lowmem, each written page at its
 * guest physical offset, the rest holes, like the oracle's --dump. There is no vCPU; inspect shows the entry
 * state.
 */
public final class MemoryDump implements Vmm {
    private final Path file;

    public MemoryDump(Path file) {
        this.file = file;
    }

    @Override
    public void load(BootImage image) throws BootException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (BootImage.Run run : image.runs()) {
                run.writeTo(ch, run.gpa());
            }
            long end = image.memory().lowmem();
            if (ch.size() < end) {
                ch.write(ByteBuffer.wrap(new byte[1]), end - 1);
            }
        } catch (IOException e) {
            throw new BootException.Io(file + ": cannot write the memory dump: " + e.getMessage(), e);
        }
    }

    /** The file is whole once {@link #load} returns. */
    @Override
    public void close() {
    }
}
