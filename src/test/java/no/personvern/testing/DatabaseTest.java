package no.personvern.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that talks to the database. It runs twice: in the default Surefire execution on
 * embedded H2 (PostgreSQL mode) and in the {@code postgres-test} execution on PostgreSQL. Each test
 * class gets its own clean schema (and its own data directory) through {@link TestDatabases}.
 *
 * <p>On PostgreSQL ({@code PERSONVERN_TEST_POSTGRES_URL}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}) the class is skipped when
 * the server is unreachable, and fails instead when {@code PERSONVERN_TEST_POSTGRES=required}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("database")
@ExtendWith(TestDatabases.Availability.class)
public @interface DatabaseTest {
}
