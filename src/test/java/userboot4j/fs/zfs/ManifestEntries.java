package userboot4j.fs.zfs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** The entries of every dataset a pool's manifest lists files of, each visited with its dataset's ZPL. */
final class ManifestEntries {
    private ManifestEntries() {
    }

    interface Visitor {
        void visit(Zpl zpl, String dataset, String path, JsonNode entry) throws Exception;
    }

    static void forEach(Dsl dsl, JsonNode pool, Visitor visitor) throws Exception {
        for (Iterator<Map.Entry<String, JsonNode>> ds = pool.path("datasets").fields(); ds.hasNext(); ) {
            Map.Entry<String, JsonNode> d = ds.next();
            if (!d.getValue().has("files")) {
                continue;
            }
            Zpl zpl = new Zpl(dsl, d.getKey());
            for (Iterator<Map.Entry<String, JsonNode>> it = d.getValue().path("files").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                visitor.visit(zpl, d.getKey(), f.getKey(), f.getValue());
            }
        }
    }
}
