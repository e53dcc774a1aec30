package no.personvern.security.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;

/**
 * Logback conversion word {@code %mask(...)}: masks e-mail, phone and IP in whatever its
 * sub-pattern renders, e.g. {@code %mask(%m%n%wEx)}, so they never reach a log line, not even
 * through an exception message or stack trace. Registered in {@code logback-spring.xml}.
 */
public class MaskingConverter extends CompositeConverter<ILoggingEvent> {

    @Override
    protected String transform(ILoggingEvent event, String in) {
        return Masking.mask(in);
    }
}
