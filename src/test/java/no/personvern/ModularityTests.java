package no.personvern;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(Personvern.class);

    @Test
    void modulesOnlyUseTheApiOfTheModulesTheyDeclare() {
        modules.verify();
    }

    @Test
    void writesModuleDocumentationToDocsModules() {
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder("docs/modules"))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
    }
}
