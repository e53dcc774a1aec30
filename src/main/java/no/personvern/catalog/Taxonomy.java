package no.personvern.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The names a catalog may use: the fideslang default taxonomy (CC BY 4.0, bundled under
 * {@code taxonomy/fideslang/}) plus the catalog's own extra data categories. Norwegian names and
 * the readable English names are Personvern's own; a key without one keeps its fideslang name.
 */
public final class Taxonomy {

    private static final String BASE = "taxonomy/";

    private final Map<String, TaxonomyTerm> dataCategories;
    private final Map<String, TaxonomyTerm> dataUses;
    private final Map<String, TaxonomyTerm> dataSubjects;

    private Taxonomy(Map<String, TaxonomyTerm> dataCategories, Map<String, TaxonomyTerm> dataUses,
            Map<String, TaxonomyTerm> dataSubjects) {
        this.dataCategories = Collections.unmodifiableMap(dataCategories);
        this.dataUses = Collections.unmodifiableMap(dataUses);
        this.dataSubjects = Collections.unmodifiableMap(dataSubjects);
    }

    /** The bundled fideslang default taxonomy. */
    public static Taxonomy fideslang() {
        Properties norwegian = load(BASE + "names-nb.properties");
        Properties english = load(BASE + "names-en.properties");
        return new Taxonomy(
                read(BASE + "fideslang/data_categories.tsv", norwegian, english),
                read(BASE + "fideslang/data_uses.tsv", norwegian, english),
                read(BASE + "fideslang/data_subjects.tsv", norwegian, english));
    }

    /** This taxonomy with the catalog's extra data categories added. */
    public Taxonomy withDataCategories(List<TaxonomyTerm> extra) {
        Map<String, TaxonomyTerm> categories = new LinkedHashMap<>(dataCategories);
        extra.forEach(term -> categories.put(term.key(), term));
        return new Taxonomy(categories, dataUses, dataSubjects);
    }

    public Optional<TaxonomyTerm> dataCategory(String key) {
        return Optional.ofNullable(dataCategories.get(key));
    }

    public Optional<TaxonomyTerm> dataUse(String key) {
        return Optional.ofNullable(dataUses.get(key));
    }

    public Optional<TaxonomyTerm> dataSubject(String key) {
        return Optional.ofNullable(dataSubjects.get(key));
    }

    public boolean isDataCategory(String key) {
        return dataCategories.containsKey(key);
    }

    /** Whether the category (or one it lies below) is free text others write about the person. */
    public boolean writtenByOthers(String category) {
        for (String key = category; key != null; key = key.lastIndexOf('.') < 0 ? null
                : key.substring(0, key.lastIndexOf('.'))) {
            TaxonomyTerm term = dataCategories.get(key);
            if (term != null && term.writtenByOthers()) {
                return true;
            }
        }
        return false;
    }

    public boolean isDataUse(String key) {
        return dataUses.containsKey(key);
    }

    public boolean isDataSubject(String key) {
        return dataSubjects.containsKey(key);
    }

    /** True when {@code key} is {@code ancestor} or lies below it, e.g. marketing.communications.email under marketing. */
    public static boolean isWithin(String key, String ancestor) {
        return key.equals(ancestor) || key.startsWith(ancestor + ".");
    }

    /** The display name of a category, use or subject key; the key itself if none is known. */
    public String nameOf(String key, Language language) {
        TaxonomyTerm term = dataCategories.getOrDefault(key, dataUses.getOrDefault(key, dataSubjects.get(key)));
        return term == null ? key : term.name().in(language);
    }

    public String categoryName(String key, Language language) {
        return dataCategory(key).map(term -> term.name().in(language)).orElse(key);
    }

    public String useName(String key, Language language) {
        return dataUse(key).map(term -> term.name().in(language)).orElse(key);
    }

    public String subjectName(String key, Language language) {
        return dataSubject(key).map(term -> term.name().in(language)).orElse(key);
    }

    private static Map<String, TaxonomyTerm> read(String resource, Properties norwegian, Properties english) {
        Map<String, TaxonomyTerm> terms = new LinkedHashMap<>();
        try (InputStream in = open(resource);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t", -1);
                String key = columns[0];
                String name = english.getProperty(key, columns[2]);
                String parent = columns[1].isEmpty() ? null : columns[1];
                terms.put(key, new TaxonomyTerm(key, parent, new LocalizedText(norwegian.getProperty(key, name), name)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return terms;
    }

    private static Properties load(String resource) {
        Properties properties = new Properties();
        try (InputStream in = open(resource);
                InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return properties;
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = Taxonomy.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("missing resource " + resource);
        }
        return in;
    }
}
