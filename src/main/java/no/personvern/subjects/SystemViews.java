package no.personvern.subjects;

import java.util.UUID;

/**
 * People as one connected system knows them: a token bound to a system sees no more than its
 * system collected (SPEC 3, Tokens; Art. 5(1)(b) and (c)).
 */
public interface SystemViews {

    /** Whether the system holds anything of the live person: a value, a document or its external id. */
    boolean holds(String system, UUID subjectId);

    /**
     * The person with only what the system collected: its values and documents and its external id
     * (e-mail and phone are shared by every system and left out); 404 when it holds nothing of them.
     * Audited as a read.
     */
    SubjectView read(String system, UUID subjectId);
}
