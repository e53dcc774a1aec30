package no.personvern.flows;

import no.personvern.testing.DatabaseTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The end-to-end flows on a second catalog, written from the SPEC with keys of its own (see {@link CatalogRoles#second()}). */
@DatabaseTest
class SecondCatalogFlowTests extends CatalogFlows {

    @DynamicPropertySource
    static void catalog(DynamicPropertyRegistry registry) {
        properties(registry, CatalogRoles.second());
    }

    @Override
    CatalogRoles roles() {
        return CatalogRoles.second();
    }
}
