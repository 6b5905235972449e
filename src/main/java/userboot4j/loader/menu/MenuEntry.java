package userboot4j.loader.menu;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import userboot4j.BootException;

/** One line of a menu, by the kinds core.lua names (MENU_ENTRY, MENU_CAROUSEL_ENTRY, …). */
sealed interface MenuEntry {
    /** What choosing an entry does. */
    interface Action {
        void run() throws BootException;
    }

    /** A carousel's label for its current choice: index from 1, the choice, all choices. */
    interface CarouselName {
        String name(int index, String choice, List<String> choices);
    }

    /** A carousel's action on the choice it moved to. */
    interface CarouselAction {
        void chosen(String choice) throws BootException;
    }

    BooleanSupplier ALWAYS = () -> true;

    /** Keys other than its number that choose it. */
    default List<String> aliases() {
        return List.of();
    }

    default BooleanSupplier visible() {
        return ALWAYS;
    }

    /** The text drawn after its number (a carousel's depends on its choice: the drawer works it out). */
    default String label() {
        return "";
    }

    /** An action; the menu is drawn again after it. */
    record Entry(Supplier<String> name, Action action, List<String> aliases, BooleanSupplier visible)
            implements MenuEntry {
        Entry(Supplier<String> name, Action action, List<String> aliases) {
            this(name, action, aliases, ALWAYS);
        }

        @Override
        public String label() {
            return name.get();
        }
    }

    /** A list of choices stepped through, one per key, the first being the default. */
    record Carousel(String id, Supplier<List<String>> items, CarouselName name, CarouselAction action,
            List<String> aliases, BooleanSupplier visible) implements MenuEntry {
    }

    /** Another menu, drawn in place of this one until Backspace. */
    record Submenu(Supplier<String> name, Supplier<MenuDef> submenu, List<String> aliases, BooleanSupplier visible)
            implements MenuEntry {
        @Override
        public String label() {
            return name.get();
        }
    }

    /** Leaves this menu (after its action, if any). */
    record Return(Supplier<String> name, Action action, List<String> aliases) implements MenuEntry {
        @Override
        public String label() {
            return name.get();
        }
    }

    /** A line with no number: blank or a heading. */
    record Separator(String label) implements MenuEntry {
    }

    /** A whole menu: its entries, worked out each time it is drawn. */
    record MenuDef(Supplier<List<MenuEntry>> entries) {
    }
}
