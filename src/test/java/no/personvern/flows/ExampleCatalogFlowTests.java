package no.personvern.flows;

import no.personvern.testing.DatabaseTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The end-to-end flows on the bundled example catalog, with connectors to its products (see {@link CatalogRoles#example()}). */
@DatabaseTest
class ExampleCatalogFlowTests extends CatalogFlows {

    @DynamicPropertySource
    static void catalog(DynamicPropertyRegistry registry) {
        properties(registry, CatalogRoles.example());
    }

    @Override
    CatalogRoles roles() {
        return CatalogRoles.example();
    }
}
