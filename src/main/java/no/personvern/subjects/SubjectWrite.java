package no.personvern.subjects;

import java.util.Map;

/** Data collected by one system for one catalog activity (purpose limitation, Art. 5(1)(b)). */
public record SubjectWrite(String system, String activity, Identities identities, Map<String, String> data) {

    public SubjectWrite {
        data = data == null ? Map.of() : data;
    }
}
