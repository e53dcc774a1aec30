package no.personvern.web.console;

import java.time.Instant;
import no.personvern.testing.MutableClock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The context of the retention and breach pages' tests: a clock the tests move, so that data's time
 * runs out and a breach's 72 hours pass without waiting; the tests share it (and one context).
 * Runs are slowed between batches ({@code batch-pause}) so that a page sees one while it goes.
 */
@TestConfiguration
class RetentionConsoleSetup {

    @Bean
    @Primary
    MutableClock consoleTestClock() {
        return new MutableClock(Instant.parse("2031-01-10T09:00:00Z"));
    }
}
