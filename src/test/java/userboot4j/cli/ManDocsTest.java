package userboot4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Require;

/**
 * The manual pages are the one source of their documents: each docs/NAME.8.md is mandoc's markdown output of
 * src/main/man/NAME.8 (footer naming userboot4j), as scripts/man-docs writes it, and no document lacks its page.
 */
class ManDocsTest {
    private static final Path PAGES = Path.of("src/main/man");
    private static final Path DOCS = Path.of("docs");

    @Test
    void eachDocumentIsMandocsMarkdownOfItsPage() throws Exception {
        Require.tool("mandoc");
        List<String> pages = names(PAGES, ".8");
        assertThat(pages).isNotEmpty();
        assertThat(names(DOCS, ".8.md")).as("docs/*.8.md, each from src/main/man (run scripts/man-docs)")
                .containsExactlyInAnyOrderElementsOf(pages.stream().map(p -> p + ".md").toList());
        for (String page : pages) {
            String markdown = Processes.run(List.of("mandoc", "-T", "markdown", "-I", "os=userboot4j",
                    PAGES.resolve(page).toString()), null);
            assertThat(Files.readString(DOCS.resolve(page + ".md")))
                    .as("docs/%s.md against its page (run scripts/man-docs)", page).isEqualTo(markdown);
        }
    }

    private static List<String> names(Path dir, String suffix) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        }
    }
}
