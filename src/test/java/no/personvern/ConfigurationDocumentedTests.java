package no.personvern;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/** Every property of a Personvern settings record is in the README's configuration, by name or variable. */
class ConfigurationDocumentedTests {

    @Test
    void everyPropertyOfASettingsRecordIsDocumentedInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        List<String> properties = properties();

        assertThat(properties).as("the settings records were found").contains("personvern.base-url",
                "personvern.mail.retry.initial-delay", "personvern.connectors.retry.max-delay");
        assertThat(properties).filteredOn(property -> !readme.contains(property)
                && !readme.contains(environmentVariable(property)))
                .as("properties neither named nor given as an environment variable in README.md")
                .isEmpty();
    }

    private static List<String> properties() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<String> properties = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents(Personvern.class.getPackageName())) {
            Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), null);
            ConfigurationProperties settings = MergedAnnotations.from(type).get(ConfigurationProperties.class)
                    .synthesize();
            String prefix = settings.prefix().isEmpty() ? settings.value() : settings.prefix();
            assertThat(type.isRecord()).as(type + " is a record").isTrue();
            collect(prefix, type, properties);
        }
        return properties;
    }

    private static void collect(String prefix, Class<?> record, List<String> properties) {
        RecordComponent[] components = record.getRecordComponents();
        Parameter[] parameters = canonicalConstructor(record, components).getParameters();
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            Name name = parameters[i].getAnnotation(Name.class);
            String property = prefix + "." + (name != null ? name.value() : kebab(component.getName()));
            if (component.getType().isRecord()) {
                collect(property, component.getType(), properties);
            } else {
                properties.add(property);
            }
        }
    }

    private static Constructor<?> canonicalConstructor(Class<?> record, RecordComponent[] components) {
        try {
            return record.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String environmentVariable(String property) {
        return property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
