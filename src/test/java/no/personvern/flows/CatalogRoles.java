package no.personvern.flows;

import java.util.Map;

/**
 * Which keys of a catalog play which part in the end-to-end flows, so that one set of flows runs
 * on any catalog.
 *
 * @param person the system and activity a product writes a customer under (e-mail, phone and name declared)
 * @param undeclaredCategory a category that activity does not declare
 * @param connectedSystem a system with a webhook connector, and the property its URL comes from
 * @param documentSystem the system documents are uploaded from, naming no activity
 * @param documentCategories the category each kind is stored under
 * @param keptKind a kind whose category a retention exception keeps after the upload period, or null
 * @param list a subscription list
 * @param consentPurpose a purpose the catalog bases on consent, and the activity that pursues it
 * @param processor a processor with a valid DPA covering {@code user.name}, and a category it does not cover
 * @param authority a recipient an authority disclosure may go to
 * @param requestsActivity the activity under which a requester's address is held
 * @param dpoEmail the data protection officer's address ({@code controller.dpo}), or null
 * @param othersWrite an activity and a category of free text others write about the person
 *     ({@code writtenByOthers}), or null
 */
record CatalogRoles(
        String catalog,
        Source person,
        String undeclaredCategory,
        String connectedSystem,
        String connectorUrlProperty,
        String documentSystem,
        Map<String, String> documentCategories,
        String keptKind,
        String list,
        String consentPurpose,
        String consentActivity,
        String processor,
        String uncoveredCategory,
        String authority,
        String requestsActivity,
        String dpoEmail,
        Source othersWrite) {

    record Source(String system, String activity) {
    }

    /** The bundled example, with connectors to its two products (the same catalog otherwise). */
    static CatalogRoles example() {
        return new CatalogRoles("classpath:catalogs/connected.yaml", new Source("go", "service-delivery"),
                "user.content.receipt", "go", "TEST_GO_URL", "go-mobile",
                Map.of("image", "user.content.image", "travel", "user.content.travel_record",
                        "voucher", "user.content.receipt"),
                null, "newsletter", "analytics.reporting", "website-statistics", "mail-delivery",
                "user.content.receipt", "skatteetaten", "privacy-requests", null, null);
    }

    /** A catalog written from the SPEC alone, with keys of its own and no authorities list. */
    static CatalogRoles second() {
        return new CatalogRoles("classpath:catalogs/second.yaml", new Source("ledger", "accounts"),
                "user.contact.address", "ledger", "KVITTO_LEDGER_HOOK", "pocket",
                Map.of("image", "user.content.expense_document", "travel", "user.content.trip_log",
                        "voucher", "user.content.expense_document"),
                "travel", "digest", "analytics.reporting", "site-analytics", "cloud-host",
                "user.financial.bank_account", "Skatteetaten", "personvern-data-subject-requests",
                "dpo@kvitto.example", new Source("ledger", "expense-approval"));
    }
}
