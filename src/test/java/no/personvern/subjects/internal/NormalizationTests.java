package no.personvern.subjects.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** E-mail addresses and phone numbers in one canonical form. */
class NormalizationTests {

    @Test
    void anEmailAddressIsTrimmedAndLowerCased() {
        assertThat(Normalization.email("  Kari.Nordmann@Example.NO ")).contains("kari.nordmann@example.no");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = { "kari", "kari@", "@example.no", "kari@example", "a b@example.no", "kari@@example.no",
            "kari@example.no@example.no", "" })
    void somethingThatIsNotAnEmailAddressIsRejected(String raw) {
        assertThat(Normalization.email(raw)).isEmpty();
    }

    /** Each of these would be delivered by a mail library to an address other than the one indexed. */
    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = { "(1)victim@example.no", "victim(comment)@example.no", "victim@example.no(comment)",
            "\"victim\"@example.no", "\"vic tim\"@example.no", "Kari <victim@example.no>", "<victim@example.no>",
            "victim@example.no, other@example.no", "victim@[192.0.2.1]", "@relay.example:victim@example.no",
            "victim%example.no@relay.example", "relay!victim@example.no", "vic\\tim@example.no", "victim@example.no.",
            ".victim@example.no", "victim.@example.no", "vic..tim@example.no", "victim@-example.no",
            "victim@example-.no", "victim@example..no", "victim@example.no;other@example.no", "victim@exa mple.no",
            "victim\u0000@example.no", "victim@example.n\u200bo" })
    void anAddressWithCommentsQuotesNamesOrRoutesIsRejected(String raw) {
        assertThat(Normalization.email(raw)).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = { "o'brien@example.no", "kari+nyhetsbrev@example.no", "kari.nordmann@sub.example.co.uk",
            "kari_n-1@x-y.example.no" })
    void anOrdinaryAddressIsAccepted(String raw) {
        assertThat(Normalization.email(raw)).contains(raw);
    }

    @Test
    void anInternationalisedDomainHasOneForm() {
        assertThat(Normalization.email("K@Bl\u00e5b\u00e6r.no")).contains("k@" + java.net.IDN.toASCII("bl\u00e5b\u00e6r.no"))
                .isEqualTo(Normalization.email("k@" + java.net.IDN.toASCII("bl\u00e5b\u00e6r.no")));
    }

    @Test
    void aLocalPartOfMoreThan64CharactersIsRejected() {
        assertThat(Normalization.email("k".repeat(65) + "@example.no")).isEmpty();
        assertThat(Normalization.email("k".repeat(64) + "@example.no")).isPresent();
    }

    @Test
    void anEmailAddressOfAtMost254CharactersIsAcceptedAndALongerOneRejected() {
        String local = "k".repeat(64);
        // 64 + "@" + 3 labels of 61 characters each followed by "." + "com" = 64 + 1 + 3 * 62 + 3 = 254
        String domain = ("d".repeat(61) + ".").repeat(3) + "com";
        String longest = local + "@" + domain;
        assertThat(longest).hasSize(254);
        String tooLong = local + "@" + "e" + domain;
        assertThat(tooLong).hasSize(255);

        assertThat(Normalization.email(longest)).contains(longest);
        assertThat(Normalization.email(tooLong)).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "912 34 567        | +4791234567",
            "91234567          | +4791234567",
            "+47 912 34 567    | +4791234567",
            "0047 91234567     | +4791234567",
            "+46 70-123 45 67  | +46701234567",
            "(+47) 912.34.567  | +4791234567",
            "'  912/34/567  '  | +4791234567" })
    void aPhoneNumberIsNormalisedToE164(String raw, String expected) {
        assertThat(Normalization.phone(raw)).contains(expected);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = { "1234", "abc", "+0123456789", "123456789", "+1234567890123456", "9123456a", "+47",
            "", "++4791234567" })
    void somethingThatCannotBeAPhoneNumberIsRejected(String raw) {
        assertThat(Normalization.phone(raw)).isEmpty();
    }

    @Test
    void aPhoneNumberWithFifteenDigitsIsTheLongestAccepted() {
        assertThat(Normalization.phone("+123456789012345")).contains("+123456789012345");
    }
}
