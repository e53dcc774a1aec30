package no.personvern.breaches;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The content of a notification to the supervisory authority, Art. 33(3): (a) the nature of the
 * breach with the categories and approximate numbers of people and records; (b) the DPO or other
 * contact point; (c) the likely consequences; (d) the measures taken or proposed. With the
 * processor activities it touches (Art. 33(2)): their customers, the controllers, must be told.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BreachReport(
        UUID breachId,
        String lang,
        Controller controller,
        Instant discoveredAt,
        Instant notifyAuthorityBy,
        boolean late,
        String lateReasons,
        Nature nature,
        Contact contact,
        String likelyConsequences,
        String measures,
        String risk,
        String riskReasons,
        List<ProcessorActivity> customersToInform) {

    public record Controller(String name, String organizationNumber, String email, String phone) {
    }

    /** (a) */
    public record Nature(String summary, List<Named> dataCategories, List<Named> systems, List<Named> activities,
            Instant from, Instant to, long approximatePeople, long approximateRecords) {
    }

    /** (b): the DPO when one is designated, or else the controller's privacy contact. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Contact(String role, String name, String email, String phone) {
    }

    public record Named(String key, String name) {
    }

    /**
     * Art. 33(2): data processed for customers; each customer (controller) must be told without undue
     * delay. {@code controllers}: who they are, as the record of processing names them (Art. 30(2)(a)).
     */
    public record ProcessorActivity(String key, String name, long people, List<String> controllers) {
    }
}
