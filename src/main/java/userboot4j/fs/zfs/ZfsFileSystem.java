package userboot4j.fs.zfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import userboot4j.BootException;
import userboot4j.fs.DirEntry;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;
import userboot4j.fs.FileSystem;

/** A ZFS file-system dataset as the loader's device {@code zfs:POOL/DATASET:}. */
public final class ZfsFileSystem implements FileSystem {
    /** Directory entry types kept in the top four bits of a ZPL directory's ZAP values (IFTODT). */
    static final int DT_DIR = 4;
    static final int DT_REG = 8;
    static final int DT_LNK = 10;

    private final String dataset;
    private final Zpl zpl;

    public ZfsFileSystem(Dsl dsl, String dataset) throws BootException {
        this.dataset = dataset;
        this.zpl = new Zpl(dsl, dataset);
    }

    public String dataset() {
        return dataset;
    }

    @Override
    public String device() {
        return "zfs:" + dataset;
    }

    @Override
    public FileStat stat(String path) throws BootException {
        Zpl.Znode z = zpl.lookup(path);
        return new FileStat(kind(z.type() >>> 12), z.size());
    }

    @Override
    public FileData open(String path) throws BootException {
        Zpl.Znode z = zpl.lookup(path);
        if (z.type() != Zpl.S_IFREG) {
            throw new BootException.InvalidFormat(device() + ":" + path + ": not a regular file");
        }
        if (z.size() < 0) {
            throw new BootException.InvalidFormat(device() + ":" + path + ": negative size");
        }
        return FileData.of(path, z.size(), (pos, dst, off, len) -> zpl.read(z, pos, dst, off, len, path));
    }

    @Override
    public List<DirEntry> readdir(String path) throws BootException {
        List<DirEntry> out = new ArrayList<>();
        Zpl.Znode dir = zpl.lookup(path);
        for (Map.Entry<String, Long> e : zpl.directory(dir, path).entrySet()) {
            int dtype = (int) (e.getValue() >>> 60);
            if (dtype == 0) { // written before ZPL version 3 kept the type in the entry: ask the file itself
                dtype = zpl.entry(dir, e.getKey(), path).type() >>> 12;
            }
            out.add(new DirEntry(e.getKey(), kind(dtype)));
        }
        return out;
    }

    /** The file kind for a d_type value (which is also the top four bits of a mode's S_IFMT). */
    private static FileStat.Kind kind(int dtype) {
        return switch (dtype) {
            case DT_REG -> FileStat.Kind.REGULAR;
            case DT_DIR -> FileStat.Kind.DIRECTORY;
            case DT_LNK -> FileStat.Kind.SYMLINK;
            default -> FileStat.Kind.OTHER;
        };
    }
}
