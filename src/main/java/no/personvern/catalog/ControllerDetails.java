package no.personvern.catalog;

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
        SupervisoryAuthority supervisoryAuthority) {

    /**
     * Where mail for the person in charge of privacy goes (deadline reminders, breach clocks, flags):
     * the data protection officer's address, or the controller's own when none is designated.
     */
    public String privacyMailbox() {
        return dataProtectionOfficer != null && dataProtectionOfficer.email() != null
                ? dataProtectionOfficer.email()
                : email;
    }

    /** A named contact point, such as the data protection officer. */
    public record Contact(String name, String email, String phone) {
    }

    /** The authority a person may complain to (Art. 77), in Norway Datatilsynet. */
    public record SupervisoryAuthority(String name, String url) {
    }
}
