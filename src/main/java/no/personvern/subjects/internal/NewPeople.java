package no.personvern.subjects.internal;

import static no.personvern.subjects.internal.Timestamps.time;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import no.personvern.subjects.internal.IdentityRepository.IdentityRow;
import no.personvern.subjects.internal.ValueRepository.ValueRow;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A new person's rows: their data key, the subject, their identities and their values. On
 * PostgreSQL, with the key store in the main database, the four inserts travel as one message, a
 * round trip instead of four (the driver sends the statements of one string together, in order, in
 * the writer's transaction); elsewhere the key is stored first, in the key store, and then one
 * statement per table.
 */
@Component
class NewPeople {

    private static final String KEY = "INSERT INTO data_key (id, owner_id, purpose, wrapped, master_key_id,"
            + " created_at) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String SUBJECT = "INSERT INTO subject (id, key_id, created_at, updated_at) VALUES (?, ?, ?, ?)";
    private static final String IDENTITIES = "INSERT INTO subject_identity (blind_index, id, subject_id, kind,"
            + " system_key, key_id, ciphertext, created_at, verified, source_system, source_activity) VALUES ";
    private static final String IDENTITY = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String VALUES = "INSERT INTO subject_value (id, subject_id, category, system_key,"
            + " activity_key, purposes, collected_at, key_id, ciphertext) VALUES ";
    private static final String VALUE = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** A new person's key, and, where it is stored with their rows, what is to be stored. */
    record Person(UUID id, KeyStore.DataKey key, KeyStore.NewKey unstored) {
    }

    private final JdbcTemplate jdbc;
    private final KeyStore keys;
    private final SubjectRepository subjects;
    private final IdentityRepository identities;
    private final ValueRepository values;
    private final boolean postgres;

    NewPeople(JdbcTemplate jdbc, KeyStore keys, SubjectRepository subjects, IdentityRepository identities,
            ValueRepository values, @Value("${spring.datasource.url:}") String url) {
        this.jdbc = jdbc;
        this.keys = keys;
        this.subjects = subjects;
        this.identities = identities;
        this.values = values;
        this.postgres = url.startsWith("jdbc:postgresql:");
    }

    /** A new person and the data key to seal their rows with. */
    Person person() {
        UUID id = UUID.randomUUID();
        if (postgres && keys.inMainDatabase()) {
            KeyStore.NewKey key = keys.newSubjectKey(id);
            return new Person(id, key.key(), key);
        }
        return new Person(id, keys.create(id, KeyStore.SUBJECT, null), null);
    }

    void insert(Person person, List<IdentityRow> identityRows, IdentityRepository.Source source,
            List<ValueRow> valueRows, Instant at) {
        UUID subjectId = person.id();
        UUID keyId = person.key().id();
        if (person.unstored() == null) {
            subjects.insertSubject(subjectId, keyId, at);
            identities.insertAll(Collections.nCopies(identityRows.size(), subjectId), identityRows,
                    Collections.nCopies(identityRows.size(), source), at);
            if (!valueRows.isEmpty()) {
                values.insertAll(Collections.nCopies(valueRows.size(), subjectId), valueRows, at);
            }
            return;
        }
        OffsetDateTime time = time(at);
        KeyStore.NewKey key = person.unstored();
        StringBuilder sql = new StringBuilder(KEY).append("; ").append(SUBJECT);
        List<Object> args = new ArrayList<>(List.of(keyId, key.owner(), KeyStore.SUBJECT, key.wrapped(),
                key.masterKeyId(), key.createdAt(), subjectId, keyId, time, time));
        if (!identityRows.isEmpty()) {
            sql.append("; ").append(IDENTITIES).append(String.join(", ", Collections.nCopies(identityRows.size(),
                    IDENTITY)));
            for (IdentityRow identity : identityRows) {
                args.addAll(java.util.Arrays.asList(identity.blindIndex(), identity.id(), subjectId,
                        identity.kind().stored, identity.system(), identity.keyId(), identity.ciphertext(), time,
                        identity.verified(), source.system(), source.activity()));
            }
        }
        if (!valueRows.isEmpty()) {
            sql.append("; ").append(VALUES).append(String.join(", ", Collections.nCopies(valueRows.size(), VALUE)));
            for (ValueRow value : valueRows) {
                args.addAll(java.util.Arrays.asList(value.id(), subjectId, value.category(), value.system(),
                        value.activity(), value.purposes(), time, value.keyId(), value.ciphertext()));
            }
        }
        jdbc.execute(sql.toString(), (PreparedStatement statement) -> {
            new ArgumentPreparedStatementSetter(args.toArray()).setValues(statement);
            statement.execute();
            while (statement.getMoreResults() || statement.getUpdateCount() != -1) {
                // each statement's count, read so that every one has run
            }
            return null;
        });
    }
}
