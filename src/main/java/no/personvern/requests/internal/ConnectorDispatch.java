package no.personvern.requests.internal;

import java.time.Duration;
import no.personvern.PeriodicJob;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Webhook dispatch runs on its own thread ({@code pv-connectors}). On shutdown a delivery in flight
 * gets a few seconds, then is interrupted: its claim lapses and it is sent again later, which the
 * systems accept (idempotent by request id).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RequestsProperties.class)
class ConnectorDispatch {

    @Bean
    PeriodicJob connectorDispatchJob(Deliveries deliveries, RequestsProperties settings) {
        return PeriodicJob.withFixedDelay("pv-connectors", settings.connectors().pollInterval(), Duration.ofSeconds(5), deliveries::dispatch);
    }
}
