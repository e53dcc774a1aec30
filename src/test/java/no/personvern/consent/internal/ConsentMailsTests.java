package no.personvern.consent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import no.personvern.catalog.ControllerDetails;
import no.personvern.catalog.Language;
import org.junit.jupiter.api.Test;

/** The consent module's mails come from its text templates, whole, in the person's language. */
class ConsentMailsTests {

    private static final ControllerDetails CONTROLLER = new ControllerDetails("Firma AS", "123", "personvern@firma.no",
            null, null, null, List.of(), null,
            new ControllerDetails.SupervisoryAuthority("Datatilsynet", "https://www.datatilsynet.no"));
    private final ConsentMails mails = new ConsentMails(() -> CONTROLLER);

    @Test
    void theSubscriptionLinkMailTellsWhoAsksHowLongTheLinkWorksAndWhatToDoIfItWasNotYou() {
        ConsentMails.Letter nb = mails.subscriptionLink(Language.NB, "https://x/privacy-center/subscriptions/t?lang=nb");
        assertThat(nb.subject()).isEqualTo("Abonnementene dine hos Firma AS");
        assertThat(nb.text()).startsWith("Hei!\n").contains("lenken virker i 24 timer",
                "\n\nhttps://x/privacy-center/subscriptions/t?lang=nb\n\n", "se bort fra denne e-posten")
                .endsWith("\n\nFirma AS · personvern@firma.no\n");

        ConsentMails.Letter en = mails.subscriptionLink(Language.EN, "https://x/privacy-center/subscriptions/t?lang=en");
        assertThat(en.subject()).isEqualTo("Your subscriptions at Firma AS");
        assertThat(en.text()).startsWith("Hello!\n").contains("the link works for 24 hours",
                "\n\nhttps://x/privacy-center/subscriptions/t?lang=en\n\n", "ignore this e-mail")
                .endsWith("\n\nFirma AS · personvern@firma.no\n");
    }

    @Test
    void theSignUpMailsNameTheListAndOnlyTheConfirmationCarriesALink() {
        ConsentMails.Letter confirm = mails.signUp(Language.NB, "Nyhetsbrevet", "https://x/subscriptions/confirm/t");
        assertThat(confirm.subject()).isEqualTo("Bekreft påmeldingen: Nyhetsbrevet");
        assertThat(confirm.text()).contains("på Nyhetsbrevet hos Firma AS", "7 dager",
                "\n\nhttps://x/subscriptions/confirm/t\n\n");
        ConsentMails.Letter already = mails.alreadySignedUp(Language.EN, "The newsletter");
        assertThat(already.subject()).isEqualTo("You are already signed up: The newsletter");
        assertThat(already.text()).contains("up for The newsletter at Firma AS", "nothing has changed")
                .doesNotContain("http");
        for (ConsentMails.Letter letter : List.of(confirm, already)) {
            assertThat(letter.subject() + letter.text()).doesNotContain("${", "[(");
        }
    }
}
