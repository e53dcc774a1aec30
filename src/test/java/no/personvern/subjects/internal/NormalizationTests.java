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
