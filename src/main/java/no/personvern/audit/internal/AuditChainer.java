package no.personvern.audit.internal;

import java.time.Duration;
import no.personvern.PeriodicJob;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The chainer runs on its own thread ({@code pv-audit-chain}): no other job can hold it up. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditProperties.class)
class AuditChainer {

    @Bean
    PeriodicJob auditChainJob(AuditLog log, AuditProperties settings) {
        return PeriodicJob.withFixedDelay("pv-audit-chain", settings.chainInterval(), Duration.ofSeconds(30), log::chainPending);
    }
}
