package no.personvern.catalog.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.Language;
import no.personvern.catalog.PrivacyNotice;
import no.personvern.catalog.PrivacyNotices;
import no.personvern.catalog.WebsiteTerms;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;

/** Generates the notice in every language once, since the catalog does not change while running. */
@Service
class NoticeService implements PrivacyNotices {

    private final Map<Language, PrivacyNotice> notices = new EnumMap<>(Language.class);
    private final String version;

    NoticeService(Catalog catalog) {
        this(catalog, WebsiteTerms.DEFAULTS);
    }

    /** With the website's retention terms as the tracking module keeps them (the defaults if it publishes none). */
    @Autowired
    NoticeService(Catalog catalog, ObjectProvider<WebsiteTerms> website) {
        this(catalog, website.getIfAvailable(() -> WebsiteTerms.DEFAULTS));
    }

    NoticeService(Catalog catalog, WebsiteTerms website) {
        Map<Language, List<PrivacyNotice.Section>> sections = new EnumMap<>(Language.class);
        MessageSource messages = NoticeWriter.messages();
        for (Language language : Language.values()) {
            sections.put(language, new NoticeWriter(catalog, language, messages, website).sections());
        }
        this.version = version(sections);
        sections.forEach((language, content) -> notices.put(language,
                new PrivacyNotice(version, language.code(), content)));
    }

    @Override
    public PrivacyNotice notice(Language language) {
        return notices.get(language);
    }

    @Override
    public String currentVersion() {
        return version;
    }

    /** A SHA-256 over every section of every language, each field length-prefixed so the form is unambiguous. */
    private static String version(Map<Language, List<PrivacyNotice.Section>> sections) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            sections.forEach((language, content) -> {
                update(digest, language.code());
                content.forEach(section -> {
                    update(digest, section.id());
                    update(digest, section.title());
                    update(digest, section.text());
                });
            });
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private static void update(MessageDigest digest, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }
}
