package no.personvern.catalog;

/**
 * A list people subscribe to by double opt-in (SPEC: {@code list} of a subscription): a
 * consent-based activity that sends e-mail. Its name is the activity's {@code list} field, or else
 * the key of the activity's first system (the example's {@code newsletter} and {@code courses}).
 *
 * @param system the system a sign-up is stored under
 * @param activity the activity a sign-up is stored under, whose consent the confirmation records
 */
public record MailingList(String name, LocalizedText title, String system, String activity) {
}
