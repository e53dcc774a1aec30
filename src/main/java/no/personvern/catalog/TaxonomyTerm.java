package no.personvern.catalog;

/** One key of the taxonomy (a data category, data use or data subject) with its parent and name. */
public record TaxonomyTerm(String key, String parent, LocalizedText name) {
}
