package userboot4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import userboot4j.amd64.EntryState;
import userboot4j.amd64.Segment;
import userboot4j.loader.Loader;
import userboot4j.loader.Metadata;
import userboot4j.loader.PreloadedFile;
import userboot4j.loader.PreparedBoot;

import static userboot4j.cli.InspectTable.hex;

/** The JSON form of a {@link PreparedBoot}; docs/INSPECT-JSON.md describes it. */
final class InspectJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private InspectJson() {
    }

    static String render(PreparedBoot boot) {
        ObjectNode root = MAPPER.createObjectNode();
        root.putObject("loader_release").put("release", boot.release().release().key())
                .put("reference", boot.release().release().reference()).put("reason", boot.release().reason());
        root.set("entry", entry(boot.image().entry()));
        root.put("modulep", hex(boot.modulep()));
        root.put("kernend", hex(boot.kernend()));
        ObjectNode mem = root.putObject("memory");
        mem.put("lowmem", boot.image().memory().lowmem());
        mem.put("highmem", boot.image().memory().highmem());
        ArrayNode files = root.putArray("files");
        for (PreloadedFile f : boot.files()) {
            ObjectNode o = files.addObject();
            o.put("name", f.name());
            o.put("type", f.type());
            o.put("args", f.args());
            o.put("addr", hex(f.addr()));
            o.put("size", f.size());
            ArrayNode modules = o.putArray("modules");
            for (PreloadedFile.KernelModule m : f.modules()) {
                modules.addObject().put("name", m.name()).put("version", m.version());
            }
            ArrayNode md = o.putArray("metadata");
            for (Metadata m : f.metadata()) {
                if ((m.type() & Metadata.NOCOPY) == 0) {
                    md.add(metadata(m));
                }
            }
        }
        ArrayNode env = root.putArray("env");
        for (String e : boot.env()) {
            env.add(new String(e.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }
        ArrayNode regions = root.putArray("regions");
        for (Loader.Region r : boot.regions()) {
            regions.addObject().put("addr", hex(r.addr())).put("length", r.length()).put("content", r.content());
        }
        ArrayNode console = root.putArray("console");
        boot.console().forEach(console::add);
        return write(root);
    }

    /** {@code inspect --as --json}: the release judged, whether its loader boots the guest, why not, a note. */
    static String verdict(String release, List<String> refusals, String note) {
        ObjectNode root = MAPPER.createObjectNode().put("release", release).put("boots", refusals.isEmpty());
        ArrayNode reasons = root.putArray("reasons");
        refusals.forEach(reasons::add);
        root.put("note", note);
        return write(root);
    }

    private static String write(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode entry(EntryState e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("mode", e.mode().name().toLowerCase(java.util.Locale.ROOT));
        o.put("rip", hex(e.rip()));
        o.put("rsp", hex(e.rsp()));
        o.put("rflags", hex(e.rflags()));
        o.put("cr0", hex(e.cr0()));
        o.put("cr3", hex(e.cr3()));
        o.put("cr4", hex(e.cr4()));
        o.put("efer", hex(e.efer()));
        o.putObject("gdtr").put("base", hex(e.gdtrBase())).put("limit", hex(e.gdtrLimit()));
        ObjectNode segs = o.putObject("segments");
        segment(segs, "cs", e.cs());
        segment(segs, "ds", e.ds());
        segment(segs, "es", e.es());
        segment(segs, "fs", e.fs());
        segment(segs, "gs", e.gs());
        segment(segs, "ss", e.ss());
        segment(segs, "tr", e.tr());
        segment(segs, "ldtr", e.ldtr());
        return o;
    }

    private static void segment(ObjectNode segs, String name, Segment s) {
        segs.putObject(name).put("selector", hex(s.selector())).put("base", hex(s.base()))
                .put("limit", hex(s.limit())).put("access", hex(s.access()));
    }

    private static ObjectNode metadata(Metadata m) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", Metadata.name(m.type()));
        o.put("code", hex(m.type()));
        o.put("size", m.data().length);
        ByteBuffer b = ByteBuffer.wrap(m.data()).order(ByteOrder.LITTLE_ENDIAN);
        if (m.data().length == 8) {
            o.put("value", hex(b.getLong(0)));
        } else if (m.data().length == 4) {
            o.put("value", hex(Integer.toUnsignedLong(b.getInt(0))));
        } else {
            o.put("hex", HexFormat.of().formatHex(m.data()));
        }
        if (m.type() == Metadata.SMAP) {
            ArrayNode smap = o.putArray("smap");
            for (int i = 0; i + 20 <= m.data().length; i += 20) {
                smap.addObject().put("base", hex(b.getLong(i))).put("length", hex(b.getLong(i + 8)))
                        .put("type", b.getInt(i + 16));
            }
        }
        return o;
    }
}
