package no.personvern.catalog.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.personvern.catalog.Activity;
import no.personvern.catalog.DataSystem;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.LocalizedText;
import no.personvern.catalog.MailingList;
import no.personvern.catalog.OwnProcessing;
import no.personvern.catalog.Role;

/**
 * The checks that need the whole catalog read: references between entries, and the gaps that
 * would only show at run time (a retention clock nothing starts, a subscription list without an
 * address, Personvern's own processing declared twice or not at all).
 */
final class CrossReferenceChecks {

    private static final String EMAIL = "user.contact.email";
    private static final String MARKETING_EMAIL = "marketing.communications.email";
    /** Where a request's message is kept when the catalog names no {@code user.content} category for it. */
    static final String REQUEST_MESSAGE = "user.content.private";

    private final LocatedProblems problems;
    private final Map<String, ActivityLines> activityLines;

    CrossReferenceChecks(LocatedProblems problems, Map<String, ActivityLines> activityLines) {
        this.problems = problems;
        this.activityLines = activityLines;
    }

    /** At most one activity per processing of Personvern's own, each with what that processing needs. */
    void ownProcessing(List<Activity> activities) {
        Map<OwnProcessing, String> declared = new HashMap<>();
        for (Activity activity : activities) {
            if (activity.personvern() == null) {
                continue;
            }
            int at = activityLines.get(activity.key()).personvern();
            String first = declared.putIfAbsent(activity.personvern(), activity.key());
            if (first != null) {
                problems.add(at, "activity '" + first + "' is already personvern: " + activity.personvern().key()
                        + "; mark only one activity for each");
            }
            if (activity.personvern() == OwnProcessing.DATA_SUBJECT_REQUESTS && !activity.declaresCategory(EMAIL)) {
                problems.add(at, "activity '" + activity.key() + "' handles data-subject requests, which holds the"
                        + " requester's e-mail address: add " + EMAIL + " to its dataCategories");
            }
            if (activity.personvern() == OwnProcessing.DATA_SUBJECT_REQUESTS && activity.contentCategories().isEmpty()) {
                problems.add(at, "activity '" + activity.key() + "' handles data-subject requests, which keep what"
                        + " the person writes with a request: add " + REQUEST_MESSAGE + " (or a user.content category"
                        + " of your own) to its dataCategories");
            }
            if (activity.role() != Role.CONTROLLER) {
                problems.add(at, "activity '" + activity.key() + "' is Personvern's own processing for the controller:"
                        + " it cannot have role processor");
            }
        }
    }

    /**
     * Every retention clock must be one something can start (SPEC section 3, Retention): collection
     * and the end of the service agreement always can; "until withdrawal" only a withdrawn consent
     * or an unsubscribe (so one of the activity's purposes must rest on consent somewhere); "until
     * next-visit" only the visit cookie that the banner's consent-based, on-device activities set
     * and replace. Any other such clock never starts, and the data would be kept for good.
     */
    void retentionClocks(List<Activity> activities) {
        Set<String> consentPurposes = new LinkedHashSet<>();
        activities.stream().filter(a -> a.legalBasis() == LegalBasis.CONSENT)
                .forEach(a -> consentPurposes.addAll(a.purposes()));
        for (Activity activity : activities) {
            if (activity.retention() == null) {
                continue;
            }
            int at = activityLines.get(activity.key()).retention();
            switch (activity.retention().trigger()) {
                case WITHDRAWAL -> {
                    if (activity.purposes().stream().noneMatch(consentPurposes::contains)) {
                        problems.add(at, "activity '" + activity.key() + "' keeps its data until withdrawal, but"
                                + " nothing can be withdrawn for it: only a withdrawn consent or an unsubscribe starts"
                                + " that clock, and no activity bases its purposes (" + String.join(", ",
                                        activity.purposes()) + ") on consent. Set legalBasis: consent, or use"
                                + " retention {until: contract-end} or {after: <ISO-8601 duration>}");
                    }
                }
                case NEXT_VISIT -> {
                    if (activity.legalBasis() != LegalBasis.CONSENT || activity.onDevice().isEmpty()) {
                        problems.add(at, "activity '" + activity.key() + "' keeps its data until the next visit,"
                                + " but only a visit cookie is replaced on a visit (an activity on consent that"
                                + " declares technologies or user.device.cookie_id), so nothing would ever delete its"
                                + " data. Use retention {after: <ISO-8601 duration>} or {until: contract-end}");
                    }
                }
                default -> {
                }
            }
        }
    }

    /**
     * The subscription lists: each consent-based activity for e-mail marketing is one, named by its
     * {@code list} field or else by its first system. Two activities under one name are ambiguous.
     */
    List<MailingList> lists(List<Activity> activities, List<DataSystem> systems) {
        List<MailingList> lists = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Activity activity : activities) {
            ActivityLines lines = activityLines.get(activity.key());
            boolean mailing = activity.legalBasis() == LegalBasis.CONSENT
                    && activity.purposes().contains(MARKETING_EMAIL);
            if (activity.list() != null && !mailing) {
                problems.add(lines.list(), "activity '" + activity.key() + "' is a subscription list, so it needs"
                        + " legalBasis consent and the purpose " + MARKETING_EMAIL);
                continue;
            }
            if (!mailing || activity.systems().isEmpty()) {
                continue;
            }
            String name = activity.list() != null ? activity.list() : activity.systems().get(0);
            int at = activity.list() != null ? lines.list() : lines.key();
            if (!activity.declaresCategory(EMAIL)) {
                problems.add(at, "activity '" + activity.key() + "' is the subscription list '" + name + "', which"
                        + " holds the subscriber's e-mail address: add " + EMAIL + " to its dataCategories");
            }
            String other = seen.putIfAbsent(name, activity.key());
            if (other != null) {
                problems.add(at, "activities '" + other + "' and '" + activity.key() + "' are both the subscription"
                        + " list '" + name + "': give each its own name with the activity field list: <name>");
                continue;
            }
            String system = activity.systems().get(0);
            LocalizedText title = activity.list() != null ? activity.name() : systems.stream()
                    .filter(s -> s.key().equals(system)).map(DataSystem::name).findFirst().orElse(activity.name());
            lists.add(new MailingList(name, title, system, activity.key()));
        }
        return lists;
    }

    /** Each activity a retention exception names is one the catalog declares. */
    void exceptionActivities(List<Declared> named, Set<String> activityKeys) {
        for (Declared activity : named) {
            if (!activityKeys.contains(activity.key())) {
                problems.add(activity.line(), "unknown activity '" + activity.key() + "' in a retention exception");
            }
        }
    }

    /** Authorities and processors share one key space: a key names one of them. */
    void authorityKeys(List<Declared> authorities, Set<String> processorKeys) {
        for (Declared authority : authorities) {
            if (processorKeys.contains(authority.key())) {
                problems.add(authority.line(), "authority '" + authority.key() + "' has the key of a processor");
            }
        }
    }

    /** Personvern's own processing the catalog does not declare: built-in activities on system personvern. */
    void addBuiltIns(List<Activity> activities, List<DataSystem> systems) {
        List<OwnProcessing> missing = BuiltInActivities.missing(activities);
        if (missing.isEmpty()) {
            return;
        }
        List<Activity> declared = List.copyOf(activities);
        for (OwnProcessing processing : missing) {
            String key = BuiltInActivities.key(processing);
            ActivityLines taken = activityLines.get(key);
            if (taken != null) {
                problems.add(taken.key(), "activity key '" + key + "' is Personvern's built-in activity for "
                        + processing.key() + ": rename it, or mark it personvern: " + processing.key());
                continue;
            }
            activities.add(BuiltInActivities.activity(processing, declared));
        }
        if (systems.stream().noneMatch(system -> system.key().equals(BuiltInActivities.SYSTEM))) {
            systems.add(BuiltInActivities.system());
        }
    }
}
