package no.personvern;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.modulith.Modulithic;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Personvern: the personal-data backbone that keeps a privacy statement true. */
@Modulithic
@EnableScheduling
@SpringBootApplication
@EnableConfigurationProperties(PersonvernProperties.class)
public class Personvern {

    public static void main(String[] args) {
        SpringApplication.run(Personvern.class, args);
    }

    /** Deadlines and retention are computed from this clock, so tests can move time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
