package no.personvern.catalog;

import java.time.MonthDay;
import java.util.List;

/** Who is responsible for the processing and how to reach them: Art. 13(1)(a)–(b), Art. 30(1)(a). */
public record ControllerDetails(
        String name,
        String organizationNumber,
        String email,
        String phone,
        String visitingAddress,
        String postalAddress,
        List<String> websites,
        Contact dataProtectionOfficer,
        SupervisoryAuthority supervisoryAuthority,
        MonthDay financialYearEnd) {

    /** The last day of a financial year unless the catalog says otherwise: the calendar year (regnskapsloven § 1-7). */
    public static final MonthDay CALENDAR_YEAR_END = MonthDay.of(12, 31);

    /** A controller whose financial year is the calendar year. */
    public ControllerDetails(String name, String organizationNumber, String email, String phone,
            String visitingAddress, String postalAddress, List<String> websites, Contact dataProtectionOfficer,
            SupervisoryAuthority supervisoryAuthority) {
        this(name, organizationNumber, email, phone, visitingAddress, postalAddress, websites, dataProtectionOfficer,
                supervisoryAuthority, CALENDAR_YEAR_END);
    }

    /** Whether the catalog names a data protection officer (Art. 37). */
    public boolean hasDataProtectionOfficer() {
        return dataProtectionOfficer != null && dataProtectionOfficer.email() != null;
    }

    /**
     * Where mail for the person in charge of privacy goes (deadline reminders, breach clocks, flags):
     * the data protection officer's address, or the controller's own when none is designated.
     */
    public String privacyMailbox() {
        return dataProtectionOfficer != null && dataProtectionOfficer.email() != null
                ? dataProtectionOfficer.email()
                : email;
    }

    /**
     * The footer of every letter and mail to a person: the controller and its address, and the data
     * protection officer's contact details when one is designated (Art. 13(1)(a)–(b)).
     */
    public String signature(Language language) {
        String signature = name + " · " + email;
        if (hasDataProtectionOfficer()) {
            Contact dpo = dataProtectionOfficer;
            signature += "\n" + (language == Language.NB ? "Personvernombud: " : "Data protection officer: ")
                    + (dpo.name() == null ? "" : dpo.name() + ", ") + dpo.email()
                    + (dpo.phone() == null ? "" : ", " + dpo.phone());
        }
        return signature;
    }

    /** A named contact point, such as the data protection officer. */
    public record Contact(String name, String email, String phone) {
    }

    /** The authority a person may complain to (Art. 77), in Norway Datatilsynet. */
    public record SupervisoryAuthority(String name, String url) {
    }
}
