package no.personvern.requests.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SystemAnswerTests {

    @Test
    void aStatusOfDoneIsDone() {
        assertThat(SystemAnswer.of("{\"status\":\"done\"}").done()).isTrue();
        assertThat(SystemAnswer.of("{ \"status\" : \"done\", \"ref\": 7 }").done()).isTrue();
    }

    @Test
    void theWordDoneElsewhereInTheAnswerIsNotDone() {
        assertThat(SystemAnswer.of("{\"status\":\"accepted\",\"note\":\"done\"}").done()).isFalse();
        assertThat(SystemAnswer.of("{\"done\":true}").done()).isFalse();
        assertThat(SystemAnswer.of("[\"done\"]").done()).isFalse();
    }

    @Test
    void anAnswerWithoutAReadableStatusIsNotDone() {
        assertThat(SystemAnswer.of("").done()).isFalse();
        assertThat(SystemAnswer.of("done").done()).isFalse();
        assertThat(SystemAnswer.of("{\"status\":").done()).isFalse();
        assertThat(SystemAnswer.of("{\"status\":null}").done()).isFalse();
        assertThat(SystemAnswer.of("{\"status\":{\"value\":\"done\"}}").done()).isFalse();
        assertThat(SystemAnswer.of("{\"error\":\"busy\"}").done()).isFalse();
    }
}
