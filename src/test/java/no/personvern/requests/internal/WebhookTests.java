package no.personvern.requests.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookTests {

    private static final String REQUEST = "0b7e1f0e-6a39-4c43-9d0f-3f7e2b8c1a55";

    @Test
    void theBodyNamesTheRequestTheTypeAndTheVerifiedIdentitiesInThatOrder() {
        Deliveries.Webhook webhook = new Deliveries.Webhook(REQUEST, "erasure",
                new Deliveries.Webhook.Identities("kari@example.no", null, Map.of("go", "go-42")), null, null);

        assertThat(new String(webhook.body(), StandardCharsets.UTF_8)).isEqualTo("{\"requestId\":\"" + REQUEST
                + "\",\"type\":\"erasure\",\"identities\":{\"email\":\"kari@example.no\",\"phone\":null,"
                + "\"externalIds\":{\"go\":\"go-42\"}}}");
    }

    @Test
    void activitiesProcessedForCustomersComeLast() {
        Deliveries.Webhook webhook = new Deliveries.Webhook(REQUEST, "access",
                new Deliveries.Webhook.Identities("kari@example.no", "+4790000000", Map.of()), null,
                List.of("customer-ledgers"));

        assertThat(new String(webhook.body(), StandardCharsets.UTF_8)).isEqualTo("{\"requestId\":\"" + REQUEST
                + "\",\"type\":\"access\",\"identities\":{\"email\":\"kari@example.no\",\"phone\":\"+4790000000\","
                + "\"externalIds\":{}},\"processorActivities\":[\"customer-ledgers\"]}");
    }

    @Test
    void aRectificationCarriesTheProposedCorrectionAfterTheIdentitiesAndTheSignatureCoversIt() {
        Deliveries.Webhook webhook = new Deliveries.Webhook(REQUEST, "rectification",
                new Deliveries.Webhook.Identities("kari@example.no", null, Map.of()), "Etternavnet mitt er «Ås»",
                null);
        byte[] body = webhook.body();

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"requestId\":\"" + REQUEST
                + "\",\"type\":\"rectification\",\"identities\":{\"email\":\"kari@example.no\",\"phone\":null,"
                + "\"externalIds\":{}},\"message\":\"Etternavnet mitt er «Ås»\"}");
        Deliveries.Webhook altered = new Deliveries.Webhook(REQUEST, "rectification",
                new Deliveries.Webhook.Identities("kari@example.no", null, Map.of()), "Etternavnet mitt er «Aas»",
                null);
        assertThat(Deliveries.sign("go-secret", altered.body())).as("the signature is over the message too")
                .isNotEqualTo(Deliveries.sign("go-secret", body));
    }
}
