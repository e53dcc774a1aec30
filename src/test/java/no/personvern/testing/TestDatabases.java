package no.personvern.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Gives every {@link DatabaseTest} class a database of its own: an in-memory H2 database, or a
 * fresh PostgreSQL schema, chosen by the system property {@code personvern.test.database} that
 * the Surefire executions set.
 */
public final class TestDatabases implements ContextCustomizerFactory {

    public enum Kind { H2, POSTGRES }

    private static Boolean postgresReachable;

    public static Kind current() {
        return "postgres".equals(System.getProperty("personvern.test.database")) ? Kind.POSTGRES : Kind.H2;
    }

    public static String postgresUrl() {
        return Objects.requireNonNullElse(System.getenv("PERSONVERN_TEST_POSTGRES_URL"),
                "jdbc:postgresql://127.0.0.1:5432/test");
    }

    public static String postgresUser() {
        return Objects.requireNonNullElse(System.getenv("PERSONVERN_TEST_POSTGRES_USER"), "postgres");
    }

    public static String postgresPassword() {
        return Objects.requireNonNullElse(System.getenv("PERSONVERN_TEST_POSTGRES_PASSWORD"), "");
    }

    static boolean postgresRequired() {
        return "required".equalsIgnoreCase(System.getenv("PERSONVERN_TEST_POSTGRES"));
    }

    static synchronized boolean postgresReachable() {
        if (postgresReachable == null) {
            DriverManager.setLoginTimeout(3);
            try (Connection connection = DriverManager.getConnection(postgresUrl(), postgresUser(), postgresPassword())) {
                postgresReachable = connection.isValid(3);
            } catch (SQLException e) {
                postgresReachable = false;
            }
        }
        return postgresReachable;
    }

    /**
     * Properties that put a test (or an application started by one) on a new, empty database of
     * the current kind, named after {@code name}, with its own data directory.
     */
    public static Map<String, Object> freshDatabase(String name) {
        return freshDatabase(name, current());
    }

    /** As {@link #freshDatabase(String)}, on a database of the given kind. */
    public static Map<String, Object> freshDatabase(String name, Kind kind) {
        String id = name.replaceAll("[^A-Za-z0-9]", "_").toLowerCase(Locale.ROOT);
        if (id.length() > 40) {
            id = id.substring(id.length() - 40);
        }
        Map<String, Object> properties = new HashMap<>();
        Path dataDir = Path.of("target", "test-data", kind.name().toLowerCase(Locale.ROOT), id);
        deleteRecursively(dataDir);
        properties.put("personvern.data-dir", dataDir.toAbsolutePath().toString());
        if (kind == Kind.POSTGRES) {
            String schema = "t_" + id;
            recreateSchema(schema);
            String url = postgresUrl();
            properties.put("spring.datasource.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
            properties.put("spring.datasource.username", postgresUser());
            properties.put("spring.datasource.password", postgresPassword());
            properties.put("spring.flyway.default-schema", schema);
        } else {
            properties.put("spring.datasource.url", "jdbc:h2:mem:" + id + "_" + System.nanoTime()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
            properties.put("spring.datasource.username", "sa");
            properties.put("spring.datasource.password", "");
        }
        return properties;
    }

    /** Properties as command-line arguments, which override every property file. */
    public static String[] arguments(Map<String, Object> properties) {
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    private static void recreateSchema(String schema) {
        try (Connection connection = DriverManager.getConnection(postgresUrl(), postgresUser(), postgresPassword());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare PostgreSQL schema " + schema, e);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return TestContextAnnotationUtils.hasAnnotation(testClass, DatabaseTest.class)
                ? new FreshDatabase(testClass.getName()) : null;
    }

    /** One context per test class and database kind, so each class starts from an empty schema. */
    private record FreshDatabase(String testClass) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            context.getEnvironment().getPropertySources()
                    .addFirst(new MapPropertySource("personvern-test-database", freshDatabase(testClass)));
        }
    }

    /** Skips, or with PERSONVERN_TEST_POSTGRES=required fails, a class when PostgreSQL is unreachable. */
    public static final class Availability implements BeforeAllCallback {

        @Override
        public void beforeAll(ExtensionContext context) {
            if (current() != Kind.POSTGRES || postgresReachable()) {
                return;
            }
            if (postgresRequired()) {
                throw new IllegalStateException("PERSONVERN_TEST_POSTGRES=required, but PostgreSQL is unreachable at "
                        + postgresUrl() + " as user " + postgresUser());
            }
            Assumptions.abort("PostgreSQL is unreachable at " + postgresUrl() + "; set PERSONVERN_TEST_POSTGRES=required to fail instead");
        }
    }
}
