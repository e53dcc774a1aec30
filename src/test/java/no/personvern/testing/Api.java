package no.personvern.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP calls to a running Personvern, as an integrating system would make them. */
public final class Api {

    public static final String ADMIN_TOKEN = "test-admin-token";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public Api(int port) {
        this.base = "http://localhost:" + port;
    }

    public Response get(String path, String token) {
        return send(request(path, token, Map.of()).GET());
    }

    public Response get(String path, String token, Map<String, String> headers) {
        return send(request(path, token, headers).GET());
    }

    public Response post(String path, String token, String json) {
        return send(request(path, token, Map.of("Content-Type", "application/json"))
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response send(String method, String path, String token, Map<String, String> headers, String body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return send(request(path, token, headers).method(method, publisher));
    }

    public Response postMultipart(String path, String token, Multipart multipart) {
        return send(request(path, token, multipart.headers())
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart.body())));
    }

    /** A GET whose body is kept as bytes. */
    public HttpResponse<byte[]> getBytes(String path, String token) {
        try {
            return client.send(request(path, token, Map.of()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response delete(String path, String token) {
        return send(request(path, token, Map.of()).DELETE());
    }

    private HttpRequest.Builder request(String path, String token, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        headers.forEach(builder::header);
        return builder;
    }

    private Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A response with its body; {@link #json()} parses it. */
    public record Response(int status, String contentType, String body, HttpResponse<String> raw) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** The fields a 422 problem names in {@code errors}, in order. */
        public java.util.List<String> errorFields() {
            java.util.List<String> fields = new java.util.ArrayList<>();
            JsonNode errors = json().get("errors");
            if (errors != null) {
                errors.forEach(error -> fields.add(error.get("field").asString()));
            }
            return fields;
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }
}
