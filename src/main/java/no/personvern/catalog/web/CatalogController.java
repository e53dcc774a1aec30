package no.personvern.catalog.web;

import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import no.personvern.catalog.RecordCsv;
import no.personvern.catalog.RecordOfProcessing;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The loaded catalog and the Art. 30(1) record of processing, for the DPO and auditors. */
@RestController
@RequestMapping("/api/v1")
class CatalogController {

    static final String CSV = "text/csv";

    private final Catalog catalog;

    CatalogController(Catalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/catalog")
    @PreAuthorize("hasAuthority('catalog:read')")
    Catalog catalog() {
        return catalog;
    }

    @GetMapping(path = "/ropa", produces = "application/json")
    @PreAuthorize("hasAuthority('catalog:read')")
    RecordOfProcessing recordOfProcessing(@RequestParam(name = "lang", defaultValue = "en") String lang) {
        return RecordOfProcessing.of(catalog, language(lang));
    }

    @GetMapping(path = "/ropa", produces = CSV + ";charset=UTF-8")
    @PreAuthorize("hasAuthority('catalog:read')")
    String recordOfProcessingAsCsv(@RequestParam(name = "lang", defaultValue = "en") String lang) {
        return RecordCsv.of(RecordOfProcessing.of(catalog, language(lang)));
    }

    private static Language language(String lang) {
        return Language.fromCode(lang).orElseThrow(() -> new InvalidParameterException("lang", "must be nb or en"));
    }
}
