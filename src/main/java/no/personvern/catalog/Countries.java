package no.personvern.catalog;

import java.util.Locale;
import java.util.Set;

/** Country facts the transfer rules of GDPR Chapter V need. */
public final class Countries {

    /** The EU member states and the EEA EFTA states Iceland, Liechtenstein and Norway. */
    public static final Set<String> EEA = Set.of(
            "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
            "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO");

    /**
     * Countries with an adequacy decision of the European Commission under Art. 45 (Canada for
     * commercial organisations, the United States for organisations certified under the EU–US
     * Data Privacy Framework). Review when the Commission adopts or withdraws a decision.
     */
    public static final Set<String> ADEQUATE = Set.of(
            "AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY", "US");

    private static final Set<String> ISO_CODES = Set.of(Locale.getISOCountries());

    private Countries() {
    }

    public static boolean isIsoCode(String code) {
        return ISO_CODES.contains(code);
    }

    public static boolean isThirdCountry(String code) {
        return !EEA.contains(code);
    }
}
