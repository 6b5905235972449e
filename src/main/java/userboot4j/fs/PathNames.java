package userboot4j.fs;

import java.util.ArrayList;
import java.util.List;

/** Loader paths split into their components: repeated slashes and "." components dropped. */
public final class PathNames {
    private PathNames() {
    }

    public static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty() && !c.equals(".")) {
                out.add(c);
            }
        }
        return out;
    }
}
