package no.personvern.audit.internal;

import java.time.Duration;
import no.personvern.PeriodicJob;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The chainer runs on its own thread ({@code pv-audit-chain}): no other job can hold it up. */
@Configuration(proxyBeanMethods = false)
class AuditChainer {

    @Bean
    PeriodicJob auditChainJob(AuditLog log, @Value("${personvern.audit.chain-interval:PT0.25S}") Duration interval) {
        return PeriodicJob.withFixedDelay("pv-audit-chain", interval, Duration.ofSeconds(30), log::chainPending);
    }
}
