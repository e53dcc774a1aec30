package no.personvern.consent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import no.personvern.catalog.Language;
import no.personvern.consent.internal.SubscriptionLinkRepository.Subscriber;
import no.personvern.mail.Mail;
import no.personvern.mail.Mailer;
import no.personvern.subjects.Vault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Asking for a subscription link: the request does the same, and only that, whether or not the
 * address has subscriptions; the look-up and the mail come after the answer, in the background.
 */
class SubscriptionLinksTests {

    private static final String KNOWN = "kjent@example.no";
    private static final String UNKNOWN = "ukjent@example.no";

    final SubscriptionLinkRepository repository = mock(SubscriptionLinkRepository.class);
    final Vault vault = mock(Vault.class);
    final Mailer mailer = mock(Mailer.class);
    final ConsentMails mails = mock(ConsentMails.class);
    final SignUpLimits limits = mock(SignUpLimits.class);
    final SubscriptionService subscriptions = mock(SubscriptionService.class);
    /** What the request left for the background, not yet run. */
    final List<Runnable> waiting = new ArrayList<>();
    SubscriptionLinks links;

    @BeforeEach
    void setUp() {
        links = new SubscriptionLinks(repository, vault, mailer, mails, limits, subscriptions,
                new TransactionTemplate(mock(PlatformTransactionManager.class)),
                Clock.fixed(Instant.parse("2026-12-06T01:00:00Z"), ZoneOffset.UTC), "https://personvern.example",
                waiting::add);
        UUID person = UUID.randomUUID();
        when(vault.acceptsEmail(anyString())).thenReturn(true);
        when(limits.client(anyString())).thenReturn("192.0.2.1");
        when(limits.tryLinkClient("192.0.2.1")).thenReturn(true);
        when(limits.mayMailLink(anyString())).thenReturn(true);
        when(vault.find("email", KNOWN)).thenReturn(List.of(person));
        when(vault.find("email", UNKNOWN)).thenReturn(List.of());
        when(repository.subscribers(List.of(person))).thenReturn(List.of(new Subscriber(person, null)));
        when(mails.subscriptionLink(eq(Language.NB), anyString()))
                .thenAnswer(call -> new ConsentMails.Letter("Abonnementene dine", "Lenken: " + call.getArgument(1)));
    }

    @Test
    void aKnownAndAnUnknownAddressAreAnsweredAlikeBeforeAnythingIsLookedUp() {
        links.mailLink(KNOWN, "nb", "192.0.2.1");
        List<String> known = calls();
        links.mailLink(UNKNOWN, "nb", "192.0.2.1");
        List<String> unknown = calls();

        assertThat(known).as("the same work on the request's thread").isEqualTo(unknown)
                .containsExactly("Vault.acceptsEmail", "SignUpLimits.client", "SignUpLimits.tryLinkClient");
        verifyNoInteractions(repository, mailer, mails, subscriptions);
        assertThat(waiting).hasSize(2);

        waiting.get(0).run();
        ArgumentCaptor<Mail> mailed = ArgumentCaptor.forClass(Mail.class);
        verify(mailer).send(mailed.capture());
        assertThat(mailed.getValue().to()).isEqualTo(KNOWN);
        assertThat(mailed.getValue().text()).matches("(?s)Lenken: https://personvern\\.example/privacy-center/"
                + "subscriptions/[A-Za-z0-9_-]{43}\\?lang=nb");
        verify(repository).insert(anyString(), any(), any(), any());

        clearInvocations(mailer, repository);
        waiting.get(1).run();
        verifyNoInteractions(mailer);
        verify(repository, never()).insert(anyString(), any(), any(), any());
    }

    @Test
    void pastTheAddressesLimitOnLinkMailsNothingIsMailedAndTheAnswerIsTheSame() {
        when(limits.mayMailLink(KNOWN)).thenReturn(false);
        links.mailLink(KNOWN, "nb", "192.0.2.1");
        waiting.forEach(Runnable::run);
        verifyNoInteractions(mailer);
        verify(repository, never()).insert(anyString(), any(), any(), any());
    }

    @Test
    void aFailureInTheBackgroundReachesNeitherThePersonNorTheLog() {
        when(vault.find("email", KNOWN)).thenThrow(new IllegalStateException("the database is down: " + KNOWN));
        links.mailLink(KNOWN, "nb", "192.0.2.1");
        waiting.forEach(Runnable::run);
        verifyNoInteractions(mailer);
    }

    /** The calls made on the collaborators since the last look, by type and method; then forgets them. */
    private List<String> calls() {
        List<String> calls = Stream.of(vault, limits, repository, mailer, mails, subscriptions)
                .flatMap(mock -> mockingDetails(mock).getInvocations().stream())
                .sorted(java.util.Comparator.comparingInt(invocation -> invocation.getSequenceNumber()))
                .map(invocation -> invocation.getMethod().getDeclaringClass().getSimpleName() + "."
                        + invocation.getMethod().getName())
                .toList();
        clearInvocations(vault, limits, repository, mailer, mails, subscriptions);
        return calls;
    }
}
