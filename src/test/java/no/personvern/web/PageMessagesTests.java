package no.personvern.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/** Every text of the pages exists in both languages, and none is empty. */
class PageMessagesTests {

    @Test
    void everyBundleSaysTheSameThingsInNorwegianAndEnglish() throws IOException {
        Properties settings = load("application.properties");
        List<String> bundles = Arrays.stream(settings.getProperty("spring.messages.basename").split(","))
                .map(String::strip).toList();
        assertThat(bundles).contains("web/messages");
        for (String bundle : bundles) {
            Properties nb = load(bundle + "_nb.properties");
            Properties en = load(bundle + "_en.properties");
            assertThat(keys(en)).as(bundle + ": keys in en and nb").isEqualTo(keys(nb));
            assertThat(load(bundle + ".properties")).as(bundle + ".properties holds no texts (a missing one must show)")
                    .isEmpty();
            for (Properties texts : List.of(nb, en)) {
                texts.forEach((key, text) -> assertThat(text.toString()).as(bundle + ": " + key).isNotBlank());
            }
        }
    }

    private static Set<String> keys(Properties properties) {
        return new TreeSet<>(properties.stringPropertyNames());
    }

    private static Properties load(String resource) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = new ClassPathResource(resource).getInputStream()) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
