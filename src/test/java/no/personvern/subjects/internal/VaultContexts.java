package no.personvern.subjects.internal;

import static no.personvern.testing.TestDatabases.arguments;

import java.util.HashMap;
import java.util.Map;
import no.personvern.Personvern;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts whole Personvern instances on a given database, as an operator would restart one. */
final class VaultContexts {

    static final String KEY_1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final String KEY_2 = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

    private VaultContexts() {
    }

    static ConfigurableApplicationContext start(Map<String, Object> database, Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>(database);
        properties.put("server.port", "0");
        properties.putAll(overrides);
        return new SpringApplicationBuilder(Personvern.class).run(arguments(properties));
    }

    static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
