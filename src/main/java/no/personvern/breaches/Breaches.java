package no.personvern.breaches;

import java.util.List;
import java.util.UUID;
import no.personvern.catalog.Language;

/** The breach register (Art. 33, 34). Every change is audited; no breach is ever deleted (Art. 33(5)). */
public interface Breaches {

    /** Records a breach and counts the people it affects from the vault; 422 naming each invalid field. */
    Breach record(NewBreach breach);

    /** Every breach, the latest discovered first. */
    List<Breach> list();

    /** One breach; 404 if unknown. */
    Breach get(UUID id);

    /** The risk to people's rights and freedoms, with the reasons. */
    Breach assess(UUID id, String risk, String reasons);

    /** Art. 33(1): the authority was notified; after 72 hours {@code lateReasons} is required. */
    Breach notifyAuthority(UUID id, String notifiedAt, String reference, String lateReasons);

    /** Art. 34: starts the letter to every person affected; only when the risk is high (409 otherwise). */
    Breach notifyPeople(UUID id, String lang);

    Breach close(UUID id, String outcome);

    /** Art. 33(3)(a)–(d): the content of the notification to the supervisory authority. */
    BreachReport report(UUID id, Language language);

    /** The same as an HTML page. */
    String reportHtml(UUID id, Language language);

    /**
     * The daily check: mails the DPO about each breach not yet notified whose 72 hours run out within
     * 24 hours (or have run out), once a day per breach; returns how many breaches were mailed about.
     */
    int remindOfDeadlines();

    /** A breach to record; dates as ISO 8601 instants, {@code activities}, {@code from} and {@code to} optional. */
    record NewBreach(String discoveredAt, String summary, List<String> dataCategories, List<String> systems,
            List<String> activities, String from, String to, String measures, String likelyConsequences) {
    }
}
