package no.personvern.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A member of staff's browser, over plain HTTP: keeps the console's cookies, follows no redirect on
 * its own (a test sees where each answer leads), and posts forms with the token of the page they
 * are on, as a browser would.
 */
public final class ConsoleSession {

    /** The first DPO of a console test's context: {@code @SpringBootTest(properties = {FIRST_DPO, FIRST_DPO_PASSWORD})}. */
    public static final String DPO = "dpo";
    public static final String DPO_PASSWORD = "console test passphrase";
    public static final String FIRST_DPO = "personvern.admin-user=" + DPO;
    public static final String FIRST_DPO_PASSWORD = "personvern.admin-password=" + DPO_PASSWORD;

    private static final Pattern TOKEN = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|"
            + "<meta name=\"csrf-token\" content=\"([^\"]+)\"");

    private final int port;
    private final CookieManager cookies;
    private final HttpClient client;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ConsoleSession(int port) {
        this(port, new CookieManager());
    }

    private ConsoleSession(int port, CookieManager cookies) {
        this.port = port;
        this.cookies = cookies;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A session signed in as the first DPO. */
    public static ConsoleSession dpo(int port) {
        return signedIn(port, DPO, DPO_PASSWORD);
    }

    public static ConsoleSession signedIn(int port, String username, String password) {
        ConsoleSession session = new ConsoleSession(port);
        Page answer = session.signIn(username, password);
        assertThat(answer.status()).as("sign-in answer").isEqualTo(302);
        assertThat(answer.location()).as("sign-in leads into the console").isEqualTo("/admin");
        return session;
    }

    /** Posts the sign-in form as the page gives it; the answer is the redirect. */
    public Page signIn(String username, String password) {
        return post("/admin/login", "/admin/login", Map.of("username", username, "password", password));
    }

    /**
     * Every later request carries {@code name: value}: a forwarded client address or scheme (with the
     * test's trusted proxies), {@code Sec-Fetch-Site}, a language.
     */
    public ConsoleSession header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Page get(String path) {
        return send(builder(path).GET().build());
    }

    /** Opens {@code page}, takes its form token, and posts {@code fields} to {@code action}. */
    public Page post(String page, String action, Map<String, String> fields) {
        Page form = get(page);
        assertThat(form.status()).as("the page with the form, " + page).isEqualTo(200);
        Map<String, String> withToken = new LinkedHashMap<>(fields);
        withToken.put("_csrf", form.token());
        return postRaw(action, withToken);
    }

    /** Posts exactly {@code fields} (no token added): for refusals. */
    public Page postRaw(String action, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
        return send(builder(action).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The same browser (its cookies) talking to another port: an instance started again, or a second one. */
    public ConsoleSession onPort(int other) {
        ConsoleSession session = new ConsoleSession(other, cookies);
        session.headers.putAll(headers);
        return session;
    }

    public CookieManager cookies() {
        return cookies;
    }

    private Page send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Page(response.statusCode(), response.headers().firstValue("Location").orElse(null),
                    response.body(), response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder builder(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).header("Accept", "text/html");
        headers.forEach(builder::header);
        return builder;
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** An answer: status, where a redirect leads (a path), and the HTML. */
    public record Page(int status, String location, String body, HttpResponse<String> raw) {

        /** The form token the page carries. */
        public String token() {
            Matcher matcher = TOKEN.matcher(body);
            assertThat(matcher.find()).as("the page carries a form token").isTrue();
            return matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }
}
