package no.personvern.catalog;

import java.util.Arrays;
import java.util.List;

/**
 * The public privacy notice (GDPR Art. 13) in one language, generated from the catalog.
 *
 * @param version a hash of the content of the notice in every language, recorded with each
 *     consent given under it (Art. 7(1): the controller must show what the person was told)
 */
public record PrivacyNotice(String version, String lang, List<Section> sections) {

    /**
     * One section. Its text is light Markdown: paragraphs separated by a blank line, list items
     * starting with "- ", and sub-headings (one per activity) starting with "### ".
     */
    public record Section(String id, String title, String text) {

        public List<String> paragraphs() {
            return Arrays.asList(text.split("\n\n"));
        }
    }

    public Section section(String id) {
        return sections.stream().filter(section -> section.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no section " + id));
    }
}
