package userboot4j.fs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import userboot4j.BootException;

/**
 * Path lookup as libsa's file systems do it: from the root, one component at a time; "." is skipped, ".."
 * returns to the directory the walk came from; a symbolic link's target replaces its component (an absolute
 * one restarts at the root) as long as the links stay few and the path short.
 *
 * @param <N> a file system's node (inode, directory record, znode)
 */
public final class PathWalk<N> {
    /** What a file system tells the walk about its nodes. */
    public interface Nodes<N> {
        N root() throws BootException;

        boolean isDirectory(N node);

        /** The entry {@code name} of directory {@code dir}, or null. */
        N child(N dir, String name, String path) throws BootException;

        /** The target of {@code node} if it is a symbolic link, else null. */
        String link(N node, String path) throws BootException;
    }

    public static final int MAXPATHLEN = 1024;
    public static final int MAXNAMLEN = 255;

    private final Nodes<N> nodes;
    private final String device;
    private final int maxLinks;
    private final boolean dotDotAboveRootFails;

    /**
     * @param device the device name for messages
     * @param maxLinks the symbolic links one lookup may follow
     * @param dotDotAboveRootFails whether ".." at the root is an error (ZFS) or stays at the root (UFS)
     */
    public PathWalk(Nodes<N> nodes, String device, int maxLinks, boolean dotDotAboveRootFails) {
        this.nodes = nodes;
        this.device = device;
        this.maxLinks = maxLinks;
        this.dotDotAboveRootFails = dotDotAboveRootFails;
    }

    /** The node at {@code path}, every symbolic link on the way and at the end followed. */
    public N lookup(String path) throws BootException {
        Deque<String> todo = new ArrayDeque<>(PathNames.components(path));
        Deque<N> stack = new ArrayDeque<>();
        N root = nodes.root();
        N cur = root;
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (!nodes.isDirectory(cur)) {
                throw new BootException.NotFound(device + ":" + path + ": not a directory");
            }
            if (name.equals("..")) {
                if (stack.isEmpty() && dotDotAboveRootFails) {
                    throw new BootException.NotFound(device + ":" + path + ": '..' above the root");
                }
                cur = stack.isEmpty() ? root : stack.pop();
                continue;
            }
            if (name.getBytes(StandardCharsets.UTF_8).length > MAXNAMLEN) {
                throw new BootException.NotFound(device + ":" + path + ": file name too long");
            }
            N found = nodes.child(cur, name, path);
            if (found == null) {
                throw new BootException.NotFound(device + ":" + path + ": no such file or directory");
            }
            String target = nodes.link(found, path);
            if (target != null) {
                if (++links > maxLinks) {
                    throw new BootException.InvalidFormat(device + ":" + path + ": too many symbolic links");
                }
                int rest = todo.stream().mapToInt(s -> s.length() + 1).sum();
                if (target.length() + rest > MAXPATHLEN) {
                    throw new BootException.InvalidFormat(device + ":" + path + ": symbolic link target too long");
                }
                List<String> t = PathNames.components(target);
                for (int i = t.size() - 1; i >= 0; i--) {
                    todo.push(t.get(i));
                }
                if (target.startsWith("/")) {
                    stack.clear();
                    cur = root;
                }
                continue;
            }
            stack.push(cur);
            cur = found;
        }
        return cur;
    }
}
