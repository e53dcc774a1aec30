package no.personvern.catalog;

/**
 * A public authority the company may have to disclose personal data to under a court order, a
 * law or a regulation (S13), e.g. the tax administration. Disclosures go only to authorities the
 * catalog names, so a private buyer cannot be passed off as one.
 */
public record Authority(String key, String name) {
}
