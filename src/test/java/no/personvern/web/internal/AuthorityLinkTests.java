package no.personvern.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The supervisory authority's address on the status page is a link only when it is a web address. */
class AuthorityLinkTests {

    @Test
    void onlyHttpAndHttpsAddressesAreLinks() {
        assertThat(RequestPages.linkable("https://www.datatilsynet.no")).isTrue();
        assertThat(RequestPages.linkable("HTTP://datatilsynet.no/klage")).isTrue();
        assertThat(RequestPages.linkable("javascript:alert(1)")).isFalse();
        assertThat(RequestPages.linkable(" javascript:alert(1)")).isFalse();
        assertThat(RequestPages.linkable("data:text/html,<script>alert(1)</script>")).isFalse();
        assertThat(RequestPages.linkable("//evil.example")).isFalse();
        assertThat(RequestPages.linkable("www.datatilsynet.no")).isFalse();
        assertThat(RequestPages.linkable("https://")).isFalse();
        assertThat(RequestPages.linkable(null)).isFalse();
    }
}
