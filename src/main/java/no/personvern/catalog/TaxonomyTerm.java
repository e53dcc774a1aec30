package no.personvern.catalog;

/**
 * One key of the taxonomy (a data category, data use or data subject) with its parent and name.
 *
 * @param writtenByOthers a data category of free text others write about the person (notes, assessments):
 *     an access package holding it waits for the DPO's review (Art. 15(4), personopplysningsloven § 16);
 *     declared in the catalog's {@code taxonomy.dataCategories} with {@code writtenByOthers: true}
 */
public record TaxonomyTerm(String key, String parent, LocalizedText name, boolean writtenByOthers) {

    public TaxonomyTerm(String key, String parent, LocalizedText name) {
        this(key, parent, name, false);
    }
}
