package no.personvern;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings that several modules read ({@code personvern.*}), each described in the README.
 *
 * @param baseUrl the public base URL, for links in mails, receipts and packages
 * @param dataDir where Personvern keeps its files; its default is in {@code application.properties},
 *        since the embedded database's URL is built from it there
 */
@ConfigurationProperties("personvern")
public record PersonvernProperties(@DefaultValue("http://localhost:8080") String baseUrl, Path dataDir) {
}
