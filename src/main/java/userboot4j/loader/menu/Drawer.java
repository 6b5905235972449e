package userboot4j.loader.menu;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import userboot4j.loader.Environment;

/**
 * drawer.lua on a console without a framebuffer: the logo, the brand, the box with its title and the
 * numbered entries, each placed by a cursor move; {@code loader_logo}, {@code loader_brand},
 * {@code loader_menu_frame} and {@code loader_menu_title} with their positions change it.
 */
final class Drawer {
    private static final int BRAND_X = 2;
    private static final int BRAND_Y = 1;
    private static final int MENU_X = 5;
    private static final int MENU_Y = 10;
    private static final String DEFAULT_TITLE = "Welcome to FreeBSD";
    /** The gfx-*.lua files of FreeBSD 13.2: a name among them that is not a brand is no brand, silently. */
    private static final List<String> GFX_FILES = List.of("orb", "orbbw", "beastie", "beastiebw", "fbsdbw");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9]+");

    /** A frame's characters: horizontal, vertical, then the corners top left, bottom left, top right, bottom right. */
    private static final Map<String, String[]> FRAMES = Map.of(
        "ascii", new String[] {"-", "|", "+", "+", "+", "+"},
        "single", utf8("\u2500", "\u2502", "\u250c", "\u2514", "\u2510", "\u2518"),
        "double", utf8("\u2550", "\u2551", "\u2554", "\u255a", "\u2557", "\u255d"));
    /**
     * 15's frames where the loader cannot draw Unicode (core.hasUnicode: no term_drawrect, as on userboot):
     * the cons25 box characters, one byte each.
     */
    private static final Map<String, String[]> FRAMES_15 = Map.of(
        "ascii", FRAMES.get("ascii"),
        "single", new String[] {"\u00c4", "\u00b3", "\u00da", "\u00c0", "\u00bf", "\u00d9"},
        "double", new String[] {"\u00cd", "\u00ba", "\u00c9", "\u00c8", "\u00bb", "\u00bc"});

    /** drawer.lua's logo_position and frame_size, which 15 changed. */
    private record Layout(int logoX, int logoY, int frameW, int frameH) {
    }

    private static final Layout LAYOUT_13 = new Layout(46, 4, 42, 13);
    private static final Layout LAYOUT_15 = new Layout(40, 10, 39, 14);

    private final Environment env;
    private final Screen screen;
    private final Color color;
    private final Core core;
    private final Layout layout;
    /** Where the logo moved everything else (a logo that is nothing moves it right). */
    private int shiftX;
    private int shiftY;

    Drawer(Environment env, Screen screen, Color color, Core core) {
        this.env = env;
        this.screen = screen;
        this.color = color;
        this.core = core;
        this.layout = core.release().drawsMenuOf15() ? LAYOUT_15 : LAYOUT_13;
    }

    /** The console prints bytes; the frame characters are their UTF-8 bytes, one char each. */
    private static String[] utf8(String... chars) {
        String[] out = new String[chars.length];
        for (int i = 0; i < chars.length; i++) {
            out[i] = new String(chars[i].getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        return out;
    }

    /** drawscreen: everything, then the menu's entries; returns the keys that choose each entry. */
    Map<String, MenuEntry> drawScreen(MenuEntry.MenuDef menu) {
        forEachConsole(this::drawLogo);
        forEachConsole(this::drawBrand);
        // 15's loader_menu="none": neither box nor entries, only the pictures and the countdown
        boolean noMenu = core.release().drawsMenuOf15() && "none".equalsIgnoreCase(env.get("loader_menu"));
        if (noMenu) {
            return Map.of();
        }
        forEachConsole(this::drawBox);
        return drawMenu(menu);
    }

    /** drawitem: once for each console named in {@code console}, with that one as the variable meanwhile. */
    private void forEachConsole(Runnable item) {
        String consoles = env.get("console");
        Matcher m = WORD.matcher(consoles == null ? "" : consoles);
        while (m.find()) {
            env.set("console", m.group());
            item.run();
        }
        env.set("console", consoles);
    }

    private void draw(int x, int y, List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            screen.setCursor(x, y + i);
            screen.printc(lines.get(i));
        }
    }

    private void drawLogo() {
        int x = core.number("loader_logo_x", layout.logoX());
        int y = core.number("loader_logo_y", layout.logoY());
        boolean colored = color.enabled();
        Graphics.Graphic logo = logo(env.get("loader_logo"));
        if (logo == null || (!colored && logo.requiresColor())) {
            logo = logo(colored ? Graphics.DEFAULT_COLOR_LOGO : Graphics.DEFAULT_BW_LOGO);
        }
        // the empty logo's own shift also moves the brand, box and menu, and (before 15) is then added to it again
        boolean none = logo.lines() == Graphics.NONE;
        shiftX = none ? logo.shiftX() : 0;
        shiftY = none ? logo.shiftY() : 0;
        boolean again = !none || !core.release().drawsMenuOf15();
        draw(x + shiftX + (again ? logo.shiftX() : 0), y + shiftY + (again ? logo.shiftY() : 0), logo.lines());
    }

    private void drawBrand() {
        int x = core.number("loader_brand_x", BRAND_X);
        int y = core.number("loader_brand_y", BRAND_Y);
        Graphics.Graphic brand = brand(env.get("loader_brand"));
        if (brand == null) {
            brand = brand(Graphics.DEFAULT_BRAND);
        }
        draw(x + shiftX + brand.shiftX(), y + shiftY + brand.shiftY(), brand.lines());
    }

    /** getLogodef: an unknown name is reported as the missing gfx file it was looked for in. */
    private Graphics.Graphic logo(String name) {
        Graphics.Graphic g = Graphics.logo(name, core.release());
        if (g == null && name != null) {
            screen.println("Failed to include gfx-" + name);
        }
        return g;
    }

    private Graphics.Graphic brand(String name) {
        Graphics.Graphic g = Graphics.brand(name);
        if (g == null && name != null && !GFX_FILES.contains(name)) {
            screen.println("Failed to include gfx-" + name);
        }
        return g;
    }

    private void drawBox() {
        int x = MENU_X - 3 + shiftX;
        int y = MENU_Y - 1 + shiftY;
        String style = env.get("loader_menu_frame");
        String[] frame = (core.release().drawsMenuOf15() ? FRAMES_15 : FRAMES)
                .get(style != null ? style : core.isSerialConsole() ? "ascii" : "double");
        if (frame == null) {
            return;
        }
        drawFrame(x, y, frame);
        String title = env.get("loader_menu_title");
        title = title != null ? title : DEFAULT_TITLE;
        String align = env.get("loader_menu_title_align");
        int titleX = x + layout.frameW() / 2 - title.length() / 2;
        if ("left".equalsIgnoreCase(align)) {
            titleX = x + 1;
        } else if ("right".equalsIgnoreCase(align)) {
            titleX = x + layout.frameW() - title.length();
        }
        screen.setCursor(titleX - 1, y);
        if (!title.isEmpty()) {
            screen.printc(" " + title + " ");
        }
    }

    private void drawFrame(int x, int y, String[] f) {
        screen.setCursor(x, y);
        screen.printc(f[2]);
        screen.setCursor(x, y + layout.frameH());
        screen.printc(f[3]);
        screen.setCursor(x + layout.frameW(), y);
        screen.printc(f[4]);
        screen.setCursor(x + layout.frameW(), y + layout.frameH());
        screen.printc(f[5]);
        screen.setCursor(x + 1, y);
        screen.printc(f[0].repeat(layout.frameW() - 1));
        screen.setCursor(x + 1, y + layout.frameH());
        screen.printc(f[0].repeat(layout.frameW() - 1));
        for (int i = 1; i < layout.frameH(); i++) {
            screen.setCursor(x, y + i);
            screen.printc(f[1]);
            screen.setCursor(x + layout.frameW(), y + i);
            screen.printc(f[1]);
        }
    }

    /** drawmenu: visible entries on successive lines, numbered except separators; later aliases win. */
    private Map<String, MenuEntry> drawMenu(MenuEntry.MenuDef menu) {
        int x = MENU_X + shiftX;
        int y = MENU_Y + shiftY;
        Map<String, MenuEntry> keys = new HashMap<>();
        int number = 0;
        int line = 0;
        for (MenuEntry e : menu.entries().get()) {
            if (!e.visible().getAsBoolean()) {
                continue;
            }
            line++;
            screen.setCursor(x, y + line);
            if (e instanceof MenuEntry.Separator s) {
                screen.printc(s.label());
                continue;
            }
            number++;
            screen.printc(number + ". " + name(e));
            keys.put(String.valueOf(number), e);
            for (String a : e.aliases()) {
                keys.put(a, e);
            }
        }
        return keys;
    }

    private String name(MenuEntry e) {
        if (e instanceof MenuEntry.Carousel c) {
            List<String> choices = c.items().get();
            int index = core.carouselIndex(c.id());
            if (index > choices.size()) {
                index = 1;
            }
            return c.name().name(index, choices.isEmpty() ? null : choices.get(index - 1), choices);
        }
        return e.label();
    }
}
