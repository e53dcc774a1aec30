package no.personvern.requests;

import java.util.UUID;

/** Art. 18(3): the DPO lifts a restriction; the person is told first, then the restriction ends. */
public interface RestrictionLifts {

    /**
     * Mails the person (in the language of their restriction request) that the restriction will be
     * lifted and why; the restriction ends once that mail has been handed to the mail server. 409
     * when nothing is restricted, or there is no verified address to tell the person at.
     */
    Lift lift(UUID subjectId, String reason);

    /** A lift under way: {@code status} is {@code telling-the-person} until the mail is sent, then {@code lifted}. */
    record Lift(UUID id, UUID subjectId, String status) {
    }
}
