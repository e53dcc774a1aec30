package no.personvern.subjects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A hold's reason as a type, and the text recorded with each held value, which must never change. */
class HoldReasonTests {

    private static final UUID REQUEST = UUID.fromString("0b7c6a2e-1f0e-4c43-9d55-3a9f0c1e2d4b");

    @Test
    void eachReasonIsRecordedWithTheTextStoredBeforeReasonsHadTypes() {
        assertThat(new Hold.Reason.Retention("bookkeeping", "bokføringsloven § 13").stored())
                .isEqualTo("retention-exception:bookkeeping (bokføringsloven § 13)");
        assertThat(new Hold.Reason.Retention("bookkeeping", null).stored()).isEqualTo("retention-exception:bookkeeping");
        assertThat(new Hold.Reason.ForCustomer().stored()).isEqualTo("processor-for-customer (Art. 28(3)(e))")
                .isEqualTo(Hold.PROCESSOR_HOLD);
        assertThat(new Hold.Reason.Restriction(REQUEST).stored()).isEqualTo("restriction:" + REQUEST);
        assertThat(new Hold.Reason.LegalHoldDeferral().stored())
                .isEqualTo("legal-hold: erasure deferred (Art. 17(3)(e))");
    }

    @Test
    void aRecordedTextIsReadBackAsItsReason() {
        assertThat(Hold.Reason.parse("retention-exception:bookkeeping (bokføringsloven § 13)"))
                .isEqualTo(new Hold.Reason.Retention("bookkeeping", "bokføringsloven § 13"));
        assertThat(Hold.Reason.parse("retention-exception:bookkeeping"))
                .isEqualTo(new Hold.Reason.Retention("bookkeeping", null));
        assertThat(Hold.Reason.parse("processor-for-customer (Art. 28(3)(e))")).isEqualTo(new Hold.Reason.ForCustomer());
        assertThat(Hold.Reason.parse("restriction:" + REQUEST)).isEqualTo(new Hold.Reason.Restriction(REQUEST));
        assertThat(Hold.Reason.parse("legal-hold: erasure deferred (Art. 17(3)(e))"))
                .isEqualTo(new Hold.Reason.LegalHoldDeferral());
        assertThat(Hold.Reason.parse("restriction:not-a-request")).isInstanceOf(Hold.Reason.Other.class);
    }

    @Test
    void anUpheldObjectionIsRecordedAndReadBackWithItsRequest() {
        assertThat(new Hold.Reason.Objection(REQUEST).stored()).isEqualTo("objection:" + REQUEST);
        assertThat(Hold.Reason.parse("objection:" + REQUEST)).isEqualTo(new Hold.Reason.Objection(REQUEST));
        assertThat(Hold.Reason.parse("objection:something")).isInstanceOf(Hold.Reason.Other.class);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = { "retention-exception:bookkeeping (bokføringsloven § 13)", "retention-exception:x (y",
            "retention-exception:a (b) (c)", "retention-exception:", "restriction:1-1-1-1-1", "restriction:",
            "processor-for-customer (Art. 28(3)(e))", "legal-hold: erasure deferred (Art. 17(3)(e))", "legal-hold",
            "objection:0b7c6a2e-1f0e-4c43-9d55-3a9f0c1e2d4b", "objection:", "objection:1-1-1-1-1",
            "anything else" })
    void everyRecordedTextReadsBackToTheSameText(String stored) {
        assertThat(Hold.Reason.parse(stored).stored()).isEqualTo(stored);
    }
}
