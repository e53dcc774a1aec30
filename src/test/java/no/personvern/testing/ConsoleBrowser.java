package no.personvern.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** Signs a page browser in to the console, through the sign-in page as staff would. */
public final class ConsoleBrowser {

    private ConsoleBrowser() {
    }

    public static PageBrowser signIn(PageBrowser browser, String username, String password) {
        browser.go("/admin/login");
        browser.fill("username", username).fill("password", password).submit("main form button[type=submit]");
        assertThat(browser.path()).as("signed in").startsWith("/admin");
        assertThat(browser.all("header.site.console .who")).as("the header names the member").isNotEmpty();
        return browser;
    }

    public static PageBrowser signInAsDpo(PageBrowser browser) {
        return signIn(browser, ConsoleSession.DPO, ConsoleSession.DPO_PASSWORD);
    }
}
