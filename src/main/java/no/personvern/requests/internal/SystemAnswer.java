package no.personvern.requests.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A connected system's answer to a webhook: {@code {status: "done"}} when it has finished. An answer
 * without a readable status is not done (the delivery is retried), whatever else it says.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record SystemAnswer(String status) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static SystemAnswer of(String body) {
        try {
            SystemAnswer answer = body == null ? null : JSON.readValue(body, SystemAnswer.class);
            return answer == null ? new SystemAnswer(null) : answer;
        } catch (JacksonException e) {
            return new SystemAnswer(null);
        }
    }

    boolean done() {
        return "done".equals(status);
    }
}
