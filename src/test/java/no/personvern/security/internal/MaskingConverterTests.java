package no.personvern.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;

/**
 * SPEC: e-mail, phone and IP never reach a log line, even in exception messages; what is not
 * personal data (UUIDs, timestamps, ports, versions, line numbers, hashes) stays readable.
 */
class MaskingConverterTests {

    // --- e-mail ---------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "contact kari.nordmann@example.no today | contact ***@*** today",
            "ola@example.com                          | ***@***",
            "<Ørjan.Ås+test@post.sub.domene.no>       | <***@***>",
            "mailto:per_hansen-2@firma.no.            | mailto:***@***.",
            "GET /subjects?email=kari%40example.no    | GET /subjects?email=***@***",
            "root@[10.0.0.1] said hi                  | ***@*** said hi",
    })
    void masksWholeEmailAddressesKeepingNothingOfThem(String in, String expected) {
        assertThat(Masking.mask(in)).isEqualTo(expected);
    }

    // --- phone ----------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "call +4791234567 now        | call [phone] now",
            "call +47 912 34 567 now     | call [phone] now",
            "call 91234567 now           | call [phone] now",
            "call 912 34 567 now         | call [phone] now",
            "call 755 00 670 now         | call [phone] now",
            "call 91 23 45 67 now        | call [phone] now",
            "call 9123 4567 now          | call [phone] now",
            "call 0047 91234567 now      | call [phone] now",
            "call 004791234567 now       | call [phone] now",
            "tel:22334455.               | tel:[phone].",
            "call +1 (555) 123-4567 now  | call [phone] now",
            "call +46701234567 now       | call [phone] now",
    })
    void masksPhoneNumbersInE164AndNorwegianFormats(String in, String expected) {
        assertThat(Masking.mask(in)).isEqualTo(expected);
    }

    // --- IP -------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "from 10.1.2.3                                        | from [ip]",
            "from 192.168.0.1:8080                                | from [ip]:8080",
            "remote=/10.0.0.7, next                               | remote=/[ip], next",
            "mask 255.255.255.255.                                | mask [ip].",
            "from 2001:db8::1                                     | from [ip]",
            "from ::1                                             | from [ip]",
            "from fe80::1%eth0 via                                | from [ip] via",
            "from 2001:0db8:85a3:0000:0000:8a2e:0370:7334         | from [ip]",
            "from [2001:db8::1]:8443                              | from [[ip]]:8443",
            "from ::ffff:10.1.2.3                                 | from [ip]",
            "from /0:0:0:0:0:0:0:1                                | from /[ip]",
            "client:2001:db8:0:0:1::2a                            | client:[ip]",
    })
    void masksIpv4AndIpv6Addresses(String in, String expected) {
        assertThat(Masking.mask(in)).isEqualTo(expected);
    }

    // --- not personal data ----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            "request 3f2b1c4e-9a7d-4e2b-8c1a-5d6e7f8a9b0c done",
            "request 92345678-1234-4234-8234-923456789012 done",
            "at 2026-11-26T07:01:41.001Z",
            "at 2026-11-26T07:01:41.001+01:00 and 07:12:33",
            "took PT1M30.5S, 1234 ms, 00:00.031s",
            "Tomcat started on port 8080 (http) with context path '/' at localhost:8080",
            "Spring Boot 4.0.7, PostgreSQL driver 42.7.11, five parts 1.2.3.4.5",
            "at no.personvern.Foo.bar(Foo.java:42) ~[spring-webmvc-7.0.1.jar:7.0.1]",
            "Starting App using Java 17.0.12 with PID 4194304",
            "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "conn HikariProxyConnection@23456789 wrapping PgConnection@1b6d3586",
            "epoch 1732604501001, thread [pool-23456789-thread-1], file backup-20261126.tar.gz",
            "bound to [::]:8080, method ref Cafe::add",
            "@Autowired field, user@localhost, 5 + 3 = 8",
    })
    void leavesWhatIsNotPersonalDataUntouched(String in) {
        assertThat(Masking.mask(in)).isEqualTo(in);
    }

    @Test
    void returnsTheSameInstanceWhenThereIsNothingToMask() {
        String line = "Started PersonvernApplication in 3.456 seconds (process running for 3.9)";
        assertThat(Masking.mask(line)).isSameAs(line);
        assertThat(Masking.mask("")).isEmpty();
        assertThat(Masking.mask(null)).isNull();
    }

    // --- through real Logback -------------------------------------------------------------

    @Test
    void masksEmailPhoneAndIpEvenInsideExceptionMessages() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.getInstanceConverterMap().put("mask", MaskingConverter::new);
        layout.getInstanceConverterMap().put("wEx", ExtendedWhitespaceThrowableProxyConverter::new);
        layout.setPattern("%mask(%m%n%wEx)");
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();

        Logger log = context.getLogger(MaskingConverterTests.class.getName() + ".e2e");
        log.setAdditive(false);
        log.setLevel(Level.INFO);
        log.addAppender(appender);
        try {
            log.warn("signup from {} at {}", "kari.nordmann@example.no", "10.1.2.3",
                    new IllegalStateException("phone +4791234567 rejected for ola@example.com",
                            new IllegalArgumentException("from 2001:db8::7 and 912 34 567")));
        } finally {
            log.detachAppender(appender);
            appender.stop();
        }

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains("signup from ***@*** at [ip]")
                .contains("java.lang.IllegalStateException: phone [phone] rejected for ***@***")
                .contains("Caused by: java.lang.IllegalArgumentException: from [ip] and [phone]")
                .contains("MaskingConverterTests.java:")
                .doesNotContain("kari.nordmann", "example.no", "10.1.2.3", "4791234567",
                        "ola@example.com", "example.com", "2001:db8", "912 34 567");
    }

    @Test
    void theApplicationsLogbackConfigurationMasksConsoleAndFileOutput(@TempDir Path dir) throws Exception {
        URL config = getClass().getResource("/logback-spring.xml");
        assertThat(config).isNotNull();

        LoggerContext withoutFile = configure(config, null);
        try {
            Logger root = withoutFile.getLogger(Logger.ROOT_LOGGER_NAME);
            assertThat(root.getLevel()).isEqualTo(Level.INFO);
            assertThat(root.getAppender("FILE")).isNull();
            assertThat(render(withoutFile, root.getAppender("CONSOLE")))
                    .contains("signup from ***@*** at [ip]", "IllegalStateException: phone [phone]")
                    .doesNotContain("kari@example.no", "10.1.2.3", "+4791234567");
        } finally {
            withoutFile.stop();
        }

        Path logFile = dir.resolve("app.log");
        LoggerContext withFile = configure(config, logFile.toString());
        try {
            Logger root = withFile.getLogger(Logger.ROOT_LOGGER_NAME);
            assertThat(root.getAppender("CONSOLE")).isNotNull();
            assertThat(root.getAppender("FILE")).isNotNull();
            root.detachAppender("CONSOLE");
            withFile.getLogger("no.personvern.Signup").warn("signup from {} at {}", "kari@example.no",
                    "10.1.2.3", new IllegalStateException("phone +4791234567 rejected"));
        } finally {
            withFile.stop();
        }
        assertThat(Files.readString(logFile))
                .contains("no.personvern.Signup", "signup from ***@*** at [ip]",
                        "java.lang.IllegalStateException: phone [phone] rejected")
                .doesNotContain("kari@example.no", "10.1.2.3", "+4791234567");
    }

    private static LoggerContext configure(URL config, String logFile) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        if (logFile != null) {
            context.putProperty("LOG_FILE", logFile);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(config);
        assertThat(new StatusUtil(context).getHighestLevel(0))
                .as(() -> context.getStatusManager().getCopyOfStatusList().toString())
                .isLessThan(Status.ERROR);
        return context;
    }

    private static String render(LoggerContext context, Appender<ILoggingEvent> appender) {
        assertThat(appender).isInstanceOf(OutputStreamAppender.class);
        Encoder<ILoggingEvent> encoder = ((OutputStreamAppender<ILoggingEvent>) appender).getEncoder();
        Logger logger = context.getLogger("no.personvern.Signup");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN,
                "signup from {} at {}", new IllegalStateException("phone +4791234567 rejected"),
                new Object[] {"kari@example.no", "10.1.2.3"});
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
