package no.personvern.subjects.internal;

import java.util.Optional;
import no.personvern.catalog.Activity;
import no.personvern.catalog.Catalog;
import no.personvern.catalog.DocumentKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Documents stored before their category was (migration V16) get it once, resolved from the
 * catalog as an upload is (the activity's {@code documents} map, else its single
 * {@code user.content.*} category). Idempotent: only rows without a category are touched, so
 * several instances starting at once do no harm.
 */
@Component
class DocumentCategories implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(DocumentCategories.class);

    private final JdbcClient jdbc;
    private final Catalog catalog;

    DocumentCategories(JdbcClient jdbc, Catalog catalog) {
        this.jdbc = jdbc;
        this.catalog = catalog;
    }

    @Override
    public void afterPropertiesSet() {
        long unresolved = jdbc.sql("SELECT COUNT(*) FROM subject_document WHERE category IS NULL").query(Long.class)
                .single();
        if (unresolved == 0) {
            return;
        }
        int resolved = 0;
        for (Activity activity : catalog.activities()) {
            for (DocumentKind kind : DocumentKind.values()) {
                Optional<String> category = activity.documentCategory(kind);
                if (category.isPresent()) {
                    resolved += jdbc.sql("""
                            UPDATE subject_document SET category = :category
                            WHERE category IS NULL AND activity_key = :activity AND kind = :kind""")
                            .param("category", category.get()).param("activity", activity.key())
                            .param("kind", kind.key()).update();
                }
            }
        }
        if (resolved < unresolved) {
            log.warn("{} documents stored before categories were kept have an activity or kind the catalog no longer"
                    + " resolves; they keep no category (no retention exception or hold applies to them)",
                    unresolved - resolved);
        }
        log.info("Resolved the data category of {} documents stored before categories were kept", resolved);
    }
}
