package no.personvern.requests.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.personvern.catalog.Activity;
import no.personvern.catalog.ControllerDetails;
import no.personvern.catalog.IsoPeriod;
import no.personvern.catalog.LegalBasis;
import no.personvern.catalog.LocalizedText;
import no.personvern.catalog.RetentionRule;
import no.personvern.catalog.Role;
import no.personvern.disclosures.Disclosure;
import no.personvern.disclosures.DisclosureBasis;
import no.personvern.requests.RequestType;
import org.junit.jupiter.api.Test;

class LettersTests {

    private static final ControllerDetails CONTROLLER = new ControllerDetails("Firma AS", "123", "personvern@firma.no",
            null, null, null, List.of(), null,
            new ControllerDetails.SupervisoryAuthority("Datatilsynet", "https://www.datatilsynet.no"));
    private static final String FOOTER = "\nFirma AS · personvern@firma.no\n";
    private static final Instant DUE = Instant.parse("2026-03-04T10:00:00Z");
    private final Letters letters = new Letters(() -> CONTROLLER);
    private static final Activity FRAUD_CHECKS = new Activity("fraud-checks", new LocalizedText("Svindelkontroll",
            "Fraud checks"), LocalizedText.of("-"), Role.CONTROLLER, List.of("go"), List.of("essential.fraud_detection"),
            LegalBasis.LEGITIMATE_INTERESTS, LocalizedText.of("-"), List.of("customer"), List.of("user.name"),
            new RetentionRule(RetentionRule.Trigger.CONTRACT_END, IsoPeriod.ZERO), List.of(), List.of(),
            List.of(), null, Map.of(), null, false);

    @Test
    void codeLetterHoldsTheCodeInTheSubjectAndText() {
        Letters.Letter letter = letters.code(RequestType.ACCESS, true, "012345");

        assertThat(letter.subject()).isEqualTo("Koden din: 012345");
        assertThat(letter.text()).isEqualTo("Hei!\n\nVi har fått en forespørsel om innsyn for denne e-postadressen.\n"
                + "Skriv inn denne koden for å bekrefte at det er deg (gjelder i 30 minutter):\n\n    012345"
                + "\n\nHar du ikke bedt om dette, kan du se bort fra e-posten.\n\nFirma AS · personvern@firma.no\n");
    }

    @Test
    void receiptNamesTheArt12Deadline() {
        assertThat(letters.received(RequestType.ERASURE, false, DUE).text()).isEqualTo("Hello!\n\nWe have received your"
                + " request for erasure and will answer by 4 March 2026 (GDPR Art. 12(3)).\n" + FOOTER);
        assertThat(letters.received(RequestType.ERASURE, true, DUE).text()).isEqualTo("Hei!\n\nVi har mottatt"
                + " forespørselen din om sletting og svarer senest 4.3.2026 (personvernforordningen art. 12 nr. 3).\n"
                + FOOTER);
    }

    @Test
    void aReceiptOfAPublicRequestCarriesThePrivateStatusLink() {
        String link = "https://personvern.example.no/privacy-center/requests/1/status?key=abc&lang=en";
        assertThat(letters.received(RequestType.ACCESS, false, DUE, link).text()).contains(
                "(GDPR Art. 12(3)).\n\nFollow your request here (the link is only for you; keep it to yourself):\n\n"
                        + link + "\n\n");
        assertThat(letters.received(RequestType.ACCESS, true, DUE, link).text())
                .contains("Her kan du følge forespørselen din", link);
    }

    @Test
    void packageLetterTellsOfRoutingOnlyWhenRouted() {
        String nb = "Hei!\n\nSvaret på forespørselen din om innsyn er klart. Last det ned her "
                + "(lenken virker i 7 dager og bare for deg):\n\nhttps://x/p\n\nPakken inneholder data.json "
                + "med alle opplysningene og report.html som forklarer hva vi bruker dem til, hvem som får dem, "
                + "hvor lenge vi lagrer dem og hvilke rettigheter du har.\n";
        assertThat(letters.packageReady(RequestType.ACCESS, true, "https://x/p", false).text()).isEqualTo(nb + FOOTER);
        assertThat(letters.packageReady(RequestType.ACCESS, true, "https://x/p", true).text()).isEqualTo(nb
                + "\nOpplysninger vi behandler på vegne av kundene våre, er det kunden som bestemmer over; vi har sendt"
                + " forespørselen din videre til dem (art. 28 nr. 3 bokstav e).\n" + FOOTER);
        assertThat(letters.packageReady(RequestType.PORTABILITY, false, "https://x/p", true).text()).isEqualTo(
                "Hello!\n\nThe answer to your request for portability is ready. Download it here (the link works for 7"
                        + " days and only for you):\n\nhttps://x/p\n\nThe package holds data.json with all the data and"
                        + " report.html, which explains what we use it for, who receives it, how long we keep it and"
                        + " what your rights are.\n\n" + RequestService.ROUTED_TO_PERSON + "\n" + FOOTER);
    }

    @Test
    void rejectionNamesTheReasonAndTheRightToComplain() {
        Letters.Letter letter = letters.rejected(RequestType.OBJECTION, true, "Ingen grunn.");

        assertThat(letter.subject()).isEqualTo("Svar på forespørselen din");
        assertThat(letter.text()).isEqualTo("Hei!\n\nVi kan ikke etterkomme forespørselen din om protest.\n\nGrunnen:\n"
                + "Ingen grunn.\n\nEr du uenig, kan du klage til Datatilsynet (https://www.datatilsynet.no), og du kan gå"
                + " til domstolene (personvernforordningen art. 12 nr. 4).\n" + FOOTER);
    }

    @Test
    void extensionAndCompletionKeepTheirWording() {
        assertThat(letters.extended(RequestType.ACCESS, false, DUE, "Many systems.").text()).isEqualTo(
                "Hello!\n\nYour request for access takes longer than usual. The deadline is extended to 4 March 2026."
                        + "\n\nThe reason:\nMany systems.\n\nGDPR Art. 12(3) allows us to extend the deadline by up to"
                        + " two months when necessary.\n" + FOOTER);
        assertThat(letters.completed(RequestType.RECTIFICATION, true, "Rettet.").text()).isEqualTo(
                "Hei!\n\nForespørselen din om retting er behandlet.\n\nRettet.\n" + FOOTER);
    }

    @Test
    void art19NoticeAndRoutingGoOutInEnglish() {
        UUID request = UUID.fromString("00000000-0000-0000-0000-000000000001");
        Disclosure disclosure = new Disclosure(null, null, "crm", "CRM Ltd", List.of("contact", "usage"),
                DisclosureBasis.DPA, "DPA-7", null, null);
        Letters.Letter notice = letters.recipientNotice(RequestType.RESTRICTION, request, disclosure, "a@b.no");
        assertThat(notice.subject()).isEqualTo("Data-protection notice (GDPR Art. 19): restriction");
        assertThat(notice.text()).isEqualTo("To CRM Ltd,\n\nUnder our data processing agreement DPA-7, please restrict"
                + " the processing of the personal data you process for us about the person with the e-mail address"
                + " a@b.no (categories: contact, usage), and confirm to personvern@firma.no when it is done.\n\n"
                + "Request: " + request + "\n" + FOOTER);

        Letters.Letter routing = letters.routing(RequestType.ERASURE, request, DUE, List.of("Payroll in Lønn",
                "Books in Regnskap; the person there: regnskap: 42"));
        assertThat(routing.subject()).isEqualTo("Pass on to the customer: request " + request + " (GDPR Art. 28(3)(e))");
        assertThat(routing.text()).isEqualTo("A person has asked for erasure (request " + request + ", due 4 March 2026)."
                + " Part of their data is processed by us as processor for a customer, who is controller and decides"
                + " (GDPR Art. 28(3)(e)). Pass the request on to that customer without undue delay, and do not act on"
                + " that data yourselves unless the customer instructs it.\n\n- Payroll in Lønn\n- Books in Regnskap;"
                + " the person there: regnskap: 42\n" + FOOTER);
    }

    @Test
    void deferredErasureSaysUntilWhen() {
        assertThat(letters.erasureDeferred(false, null)).isEqualTo("The data is needed for the establishment, exercise"
                + " or defence of a legal claim (Art. 17(3)(e)) and cannot be erased yet. It is restricted from any other"
                + " use until the claim is settled, and erased as soon as that is no longer needed. Marketing has"
                + " stopped.");
        assertThat(letters.erasureDeferred(true, DUE)).isEqualTo("Opplysningene trengs for å fastsette, gjøre gjeldende"
                + " eller forsvare et rettskrav (art. 17 nr. 3 bokstav e), og kan ikke slettes ennå. De er sperret for"
                + " all annen bruk til 4.3.2026, og slettes så snart det ikke lenger er nødvendig. Markedsføring er"
                + " stanset.");
        assertThat(letters.completed(RequestType.ERASURE, true, "Beholdt.", true).text())
                .as("Art. 12(4): what is kept comes with the right to complain and to go to court").isEqualTo(
                        "Hei!\n\nForespørselen din om sletting er behandlet.\n\nBeholdt.\n\nVi har begrunnet over hvorfor noe"
                        + " er beholdt. Er du uenig, kan du klage til Datatilsynet (https://www.datatilsynet.no), og du kan"
                        + " gå til domstolene (personvernforordningen art. 12 nr. 4).\n" + FOOTER);
    }

    @Test
    void everyLetterToAPersonNamesTheDataProtectionOfficerWhenThereIsOne() {
        ControllerDetails withDpo = new ControllerDetails("Firma AS", "123", "personvern@firma.no", null, null, null,
                List.of(), new ControllerDetails.Contact("Ada Vern", "dpo@firma.no", "+47 22 00 00 00"),
                new ControllerDetails.SupervisoryAuthority("Datatilsynet", "https://www.datatilsynet.no"));
        Letters signed = new Letters(() -> withDpo);
        List<Letters.Letter> norwegian = List.of(signed.code(RequestType.ACCESS, true, "012345"),
                signed.received(RequestType.ERASURE, true, DUE), signed.extended(RequestType.ACCESS, true, DUE, "mye"),
                signed.rejected(RequestType.ERASURE, true, "grunn"), signed.completed(RequestType.ERASURE, true, "slettet"),
                signed.packageReady(RequestType.ACCESS, true, "https://x/p", false),
                signed.objectionDecided(true, FRAUD_CHECKS, true, "grunn"),
                signed.objectionDecided(true, FRAUD_CHECKS, false, "grunn"), signed.restrictionLift(true, "grunn"));
        assertThat(norwegian).allSatisfy(letter -> assertThat(letter.text())
                .endsWith("Firma AS · personvern@firma.no\nPersonvernombud: Ada Vern, dpo@firma.no, +47 22 00 00 00\n"));
        assertThat(List.of(signed.rejected(RequestType.ERASURE, false, "reason"),
                signed.objectionDecided(false, FRAUD_CHECKS, false, "reason"), signed.restrictionLift(false, "reason")))
                .allSatisfy(letter -> assertThat(letter.text()).endsWith("Firma AS · personvern@firma.no\n"
                        + "Data protection officer: Ada Vern, dpo@firma.no, +47 22 00 00 00\n"));
        assertThat(letters.rejected(RequestType.ERASURE, false, "reason").text()).as("no DPO designated")
                .doesNotContain("Data protection officer").endsWith("Firma AS · personvern@firma.no\n");
    }
}
