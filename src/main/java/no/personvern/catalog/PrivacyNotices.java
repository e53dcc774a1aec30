package no.personvern.catalog;

/** The privacy notice generated from the catalog (Art. 13), and the version consents record. */
public interface PrivacyNotices {

    PrivacyNotice notice(Language language);

    /** The version of the notice in force: the same for every language. */
    String currentVersion();
}
