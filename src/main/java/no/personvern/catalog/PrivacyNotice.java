package no.personvern.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The public privacy notice (GDPR Art. 13) in one language, generated from the catalog.
 *
 * @param version a hash of the content of the notice in every language, recorded with each
 *     consent given under it (Art. 7(1): the controller must show what the person was told)
 */
public record PrivacyNotice(String version, String lang, List<Section> sections) {

    /**
     * One section, as blocks for the page and as light Markdown text for products that show the
     * notice themselves: blocks separated by a blank line, list items starting with "- ", and
     * sub-headings (one per activity) starting with "### ".
     */
    public record Section(String id, String title, String text, @JsonIgnore List<Block> blocks) {

        public static Section of(String id, String title, List<Block> blocks) {
            return new Section(id, title, blocks.stream().map(Block::markdown).collect(Collectors.joining("\n\n")),
                    List.copyOf(blocks));
        }
    }

    /** A part of a section: an optional sub-heading, its paragraphs, then a list (possibly empty). */
    public record Block(String heading, List<String> paragraphs, List<String> items) {

        public Block {
            paragraphs = List.copyOf(paragraphs);
            items = List.copyOf(items);
        }

        String markdown() {
            List<String> lines = new ArrayList<>();
            if (heading != null) {
                lines.add("### " + heading);
            }
            lines.addAll(paragraphs);
            items.forEach(item -> lines.add("- " + item));
            return String.join("\n", lines);
        }
    }

    public Section section(String id) {
        return sections.stream().filter(section -> section.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no section " + id));
    }
}
