package no.personvern;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;
import org.springframework.transaction.TransactionSystemException;

/**
 * SPEC 4, durability, on the embedded H2 database: a committed transaction is in the database file
 * before the caller hears of it, so a kill -9 cannot lose an acknowledged write.
 *
 * <p>H2's store (MVStore) keeps commits in memory and writes them from a background thread every
 * {@code WRITE_DELAY} (500 ms). {@code WRITE_DELAY=0} would write every commit, but it also stops
 * that thread, which is the one that compacts the file: the file then grows by kilobytes per
 * commit and never shrinks. So the background thread stays, and after each commit the store is
 * written ({@code CHECKPOINT}) on the transaction's own connection, before the transaction returns.
 * Spring Boot adds every {@link TransactionExecutionListener} bean to its transaction manager.
 * PostgreSQL needs none of this: its commit returns once the WAL is flushed.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseDurability.OnH2.class)
class EmbeddedDatabaseDurability {

    @Bean
    TransactionExecutionListener commitsWrittenToTheDatabaseFile(DataSource dataSource) {
        return new TransactionExecutionListener() {
            @Override
            public void afterCommit(TransactionExecution transaction, @Nullable Throwable commitFailure) {
                if (commitFailure == null) {
                    writeStore(dataSource);
                }
            }
        };
    }

    private static void writeStore(DataSource dataSource) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
        } catch (SQLException e) {
            throw new TransactionSystemException("the commit could not be written to the database file", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** An H2 database that lives in a file (not {@code jdbc:h2:mem:}). */
    static final class OnH2 implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("spring.datasource.url", "");
            return url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
        }
    }
}
