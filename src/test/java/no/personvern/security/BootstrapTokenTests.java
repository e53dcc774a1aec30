package no.personvern.security;

import static no.personvern.testing.TestDatabases.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.personvern.Personvern;
import no.personvern.testing.DatabaseTest;
import no.personvern.testing.TestDatabases;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The first admin token: configured, or generated once and printed once. */
// The output capture first: when the database check skips the class, the capture's own after-all
// step must find what its before-all step set up.
@ExtendWith(OutputCaptureExtension.class)
@DatabaseTest
class BootstrapTokenTests {

    private static final Pattern GENERATED = Pattern.compile("(pvt_[A-Za-z0-9_-]{43})");

    @Test
    void withoutAConfiguredTokenOneIsGeneratedAndPrintedOnlyOnTheFirstStart(CapturedOutput output) {
        Map<String, Object> database = TestDatabases.freshDatabase("bootstrap-generated");
        String token;
        try (ConfigurableApplicationContext first = start(database, "")) {
            Matcher matcher = GENERATED.matcher(output.getOut());
            assertThat(matcher.find()).as("a generated token is printed").isTrue();
            token = matcher.group(1);
            assertThat(first.getBean(Tokens.class).authenticate(token))
                    .hasValueSatisfying(t -> assertThat(t.grants(Scope.ADMIN)).isTrue());
        }
        int printedBefore = output.getOut().length();
        try (ConfigurableApplicationContext second = start(database, "")) {
            assertThat(GENERATED.matcher(output.getOut().substring(printedBefore)).find()).isFalse();
            assertThat(second.getBean(Tokens.class).authenticate(token)).isPresent();
        }
    }

    @Test
    void aConfiguredTokenReplacesTheEarlierBootstrapToken() {
        Map<String, Object> database = TestDatabases.freshDatabase("bootstrap-configured");
        try (ConfigurableApplicationContext first = start(database, "first-admin-token")) {
            assertThat(first.getBean(Tokens.class).authenticate("first-admin-token")).isPresent();
        }
        try (ConfigurableApplicationContext second = start(database, "second-admin-token")) {
            Tokens tokens = second.getBean(Tokens.class);
            assertThat(tokens.authenticate("second-admin-token")).isPresent();
            assertThat(tokens.authenticate("first-admin-token")).isEmpty();
        }
    }

    private static ConfigurableApplicationContext start(Map<String, Object> database, String adminToken) {
        Map<String, Object> properties = new HashMap<>(database);
        properties.put("personvern.admin-token", adminToken);
        properties.put("server.port", "0");
        return new SpringApplicationBuilder(Personvern.class).run(arguments(properties));
    }
}
