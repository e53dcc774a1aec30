package no.personvern.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import no.personvern.Problems;
import no.personvern.Refusal;
import no.personvern.Refusal.Kind;
import no.personvern.security.Callers;
import no.personvern.security.Staff;
import no.personvern.security.StaffEvents.StaffChanged;
import no.personvern.security.StaffEvents.StaffSession;
import no.personvern.security.StaffMember;
import no.personvern.security.StaffPrincipal;
import no.personvern.security.StaffRole;
import no.personvern.security.internal.StaffRepository.StoredMember;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The console's staff: accounts, invitations, roles, and the password check behind the sign-in
 * form. Failed sign-ins are counted per account (locked for a while after
 * {@code personvern.staff.max-failures} in a row); the per-client limit is the sign-in filter's.
 */
@Service
class StaffAccounts implements Staff {

    static final int MIN_PASSWORD = 12;
    /** bcrypt reads no further than 72 bytes; a longer password would be cut without telling. */
    static final int MAX_PASSWORD_BYTES = 72;
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{1,99}");

    /** Why a sign-in failed; the form says the same for a wrong password and a locked account. */
    enum Failure { BAD_CREDENTIALS, LOCKED, BUSY }

    /** The outcome of one password check: the principal, or why not. */
    record SignIn(StaffPrincipal principal, Failure failure) {
    }

    private final StaffRepository repository;
    private final PasswordEncoder encoder;
    private final StaffProperties settings;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Password comparisons at once: bcrypt is meant to be slow, so more than the cores would only queue. */
    private final java.util.concurrent.Semaphore checks = new java.util.concurrent.Semaphore(
            Math.max(2, Runtime.getRuntime().availableProcessors()));
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StaffAccounts.class);
    /** Compared against when there is no account, so that an unknown name costs the same time as a known one. */
    private final String dummyHash;

    StaffAccounts(StaffRepository repository, PasswordEncoder encoder, StaffProperties settings,
            TransactionTemplate transactions, ApplicationEventPublisher events, Clock clock) {
        this.repository = repository;
        this.encoder = encoder;
        this.settings = settings;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
        this.dummyHash = encoder.encode("not a password of anyone " + UUID.randomUUID());
    }

    static String normalise(String username) {
        return username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Checks a password; never says whether the account exists. The hash is compared outside any
     * transaction (no connection or row lock is held through bcrypt), and at most
     * {@link #checks} comparisons run at once, so a burst of sign-ins cannot starve the rest of the
     * application of connections or CPU. A browser that carries this member's device cookie (set at an
     * earlier sign-in) is not held by the account's lock: someone who locks the account by guessing
     * does not lock its owner out.
     */
    SignIn check(String username, String password, UUID device) {
        if (!checks.tryAcquire()) {
            return new SignIn(null, Failure.BUSY);
        }
        try {
            String name = normalise(username);
            String given = password == null ? "" : password;
            boolean readable = given.getBytes(StandardCharsets.UTF_8).length <= MAX_PASSWORD_BYTES;
            Optional<StoredMember> found = USERNAME.matcher(name).matches() ? repository.byUsername(name)
                    : Optional.empty();
            Instant now = clock.instant();
            if (found.isEmpty() || !found.get().member().active() || found.get().passwordHash() == null) {
                encoder.matches(readable ? given : "", dummyHash);
                return new SignIn(null, Failure.BAD_CREDENTIALS);
            }
            StoredMember stored = found.get();
            UUID id = stored.member().id();
            boolean ownDevice = id.equals(device);
            if (!ownDevice && stored.lockedUntil() != null && stored.lockedUntil().isAfter(now)) {
                encoder.matches(readable ? given : "", dummyHash);
                return new SignIn(null, Failure.LOCKED);
            }
            if (!readable || !encoder.matches(given, stored.passwordHash())) {
                boolean locked = Boolean.TRUE.equals(transactions.execute(status -> failure(id, now)));
                return new SignIn(null, locked && !ownDevice ? Failure.LOCKED : Failure.BAD_CREDENTIALS);
            }
            String upgraded = encoder.upgradeEncoding(stored.passwordHash()) ? encoder.encode(given) : null;
            transactions.executeWithoutResult(status -> {
                if (upgraded != null) {
                    repository.password(id, upgraded);
                }
                repository.signedIn(id, now);
            });
            return new SignIn(new StaffPrincipal(id, stored.member().role()), null);
        } finally {
            checks.release();
        }
    }

    /** Counts a failed sign-in; true when it locks the account (audited, and logged by member id only). */
    private boolean failure(UUID id, Instant now) {
        StoredMember stored = repository.lock(id).orElse(null);
        if (stored == null) {
            return false;
        }
        int failures = stored.failedSignIns() + 1;
        boolean lock = failures >= settings.staff().maxFailures();
        repository.failed(id, lock ? 0 : failures, lock ? now.plus(settings.staff().lockout()) : stored.lockedUntil());
        if (lock) {
            events.publishEvent(new StaffChanged("locked", id, stored.member().role()));
            log.warn("Console member {} was locked for {} after {} failed sign-ins in a row", id,
                    settings.staff().lockout(), failures);
        }
        return lock;
    }

    /** The member as it is now: its role may have changed, or it may have been deactivated. */
    Optional<StaffPrincipal> current(UUID id) {
        return repository.find(id).map(StoredMember::member).filter(StaffMember::active)
                .map(member -> new StaffPrincipal(member.id(), member.role()));
    }

    @Transactional
    public void recordSession(String change, UUID id) {
        events.publishEvent(new StaffSession(change, id));
    }

    /** The first DPO, made on a first start from {@code PERSONVERN_ADMIN_USER} and {@code _PASSWORD}. */
    @Transactional
    public boolean bootstrap(String username, String password) {
        if (repository.any()) {
            return false;
        }
        String name = username(username);
        requirePassword(password, name);
        StaffMember member = new StaffMember(UUID.randomUUID(), name, name, null, StaffRole.DPO, true, false, null,
                clock.instant(), null);
        repository.insert(member, encoder.encode(password), null, null);
        events.publishEvent(new StaffChanged("created", member.id(), member.role()));
        return true;
    }

    @Override
    public List<StaffMember> list() {
        return repository.all();
    }

    @Override
    public Optional<StaffMember> find(UUID id) {
        return repository.find(id).map(StoredMember::member);
    }

    @Override
    @Transactional
    public Invitation invite(String username, String displayName, String email, StaffRole role) {
        requireDpo();
        String name = username(username);
        String display = displayName == null ? "" : displayName.strip();
        if (display.isEmpty() || display.length() > 200) {
            throw Problems.invalid("displayName", "Give the member's name, at most 200 characters.");
        }
        String address = email == null ? "" : email.strip();
        if (!address.matches("[^@\\s]{1,64}@[^@\\s]{1,255}") || address.length() > 320) {
            throw Problems.invalid("email", "Give the work e-mail address the invitation is sent to.");
        }
        if (role == null) {
            throw Problems.invalid("role", "The role is 'dpo' or 'agent'.");
        }
        if (repository.usernameTaken(name)) {
            throw Problems.refusal(Kind.CONFLICT, "Username in use", "Another member of staff has that username.",
                    "username");
        }
        String secret = secret();
        Instant now = clock.instant();
        Instant expires = now.plus(settings.staff().invitationValidity());
        StaffMember member = new StaffMember(UUID.randomUUID(), name, display, address, role, true, true, expires,
                now, null);
        repository.insert(member, null, sha256(secret), Callers.staff().map(StaffPrincipal::id).orElse(null));
        events.publishEvent(new StaffChanged("invited", member.id(), role));
        return new Invitation(member, secret);
    }

    @Override
    @Transactional
    public Invitation reinvite(UUID id) {
        requireDpo();
        StoredMember stored = repository.lock(id).orElseThrow(() -> notFound(id));
        if (stored.passwordHash() != null) {
            throw Problems.refusal(Kind.CONFLICT, "Already joined", "This member has set a password already.", null);
        }
        String secret = secret();
        Instant expires = clock.instant().plus(settings.staff().invitationValidity());
        repository.invitation(id, sha256(secret), expires);
        events.publishEvent(new StaffChanged("reinvited", id, stored.member().role()));
        return new Invitation(repository.find(id).orElseThrow().member(), secret);
    }

    @Override
    public Optional<StaffMember> invited(String secret) {
        if (secret == null || secret.length() > 100) {
            return Optional.empty();
        }
        return transactions.execute(status -> repository.byInvite(sha256(secret))
                .map(StoredMember::member)
                .filter(member -> member.active() && member.invited() && member.inviteExpiresAt() != null
                        && member.inviteExpiresAt().isAfter(clock.instant())));
    }

    @Override
    @Transactional
    public StaffMember acceptInvitation(String secret, String password) {
        StoredMember stored = secret == null || secret.length() > 100 ? null
                : repository.byInvite(sha256(secret)).orElse(null);
        if (stored == null || !stored.member().active() || stored.passwordHash() != null
                || stored.member().inviteExpiresAt() == null
                || !stored.member().inviteExpiresAt().isAfter(clock.instant())) {
            throw Problems.refusal(Kind.GONE, "Invitation not valid",
                    "This invitation link has been used, has expired or was never issued; ask a DPO for a new one.",
                    null);
        }
        requirePassword(password, stored.member().username());
        repository.password(stored.member().id(), encoder.encode(password));
        events.publishEvent(new StaffChanged("joined", stored.member().id(), stored.member().role()));
        return repository.find(stored.member().id()).orElseThrow().member();
    }

    @Override
    @Transactional
    public StaffMember changeRole(UUID id, StaffRole role) {
        requireDpo();
        StoredMember stored = repository.lock(id).orElseThrow(() -> notFound(id));
        if (role == null) {
            throw Problems.invalid("role", "The role is 'dpo' or 'agent'.");
        }
        if (stored.member().role() == role) {
            return stored.member();
        }
        if (stored.member().role() == StaffRole.DPO && stored.member().active() && repository.otherActiveDpos(id) == 0) {
            throw lastDpo();
        }
        repository.role(id, role);
        events.publishEvent(new StaffChanged("role-changed", id, role));
        return repository.find(id).orElseThrow().member();
    }

    @Override
    @Transactional
    public StaffMember deactivate(UUID id) {
        requireDpo();
        StoredMember stored = repository.lock(id).orElseThrow(() -> notFound(id));
        if (!stored.member().active()) {
            return stored.member();
        }
        if (stored.member().role() == StaffRole.DPO && repository.otherActiveDpos(id) == 0) {
            throw lastDpo();
        }
        repository.active(id, false);
        events.publishEvent(new StaffChanged("deactivated", id, stored.member().role()));
        return repository.find(id).orElseThrow().member();
    }

    @Override
    @Transactional
    public StaffMember reactivate(UUID id) {
        requireDpo();
        StoredMember stored = repository.lock(id).orElseThrow(() -> notFound(id));
        if (!stored.member().active()) {
            repository.active(id, true);
            events.publishEvent(new StaffChanged("activated", id, stored.member().role()));
        }
        return repository.find(id).orElseThrow().member();
    }

    /**
     * Staff are changed by a DPO. The console's security already keeps agents off the staff pages;
     * this holds for any other way a signed-in agent might reach these methods. (Without a member
     * signed in — the first start, the tests — the caller is the system itself.)
     */
    private static void requireDpo() {
        Callers.staff().filter(member -> !member.dpo()).ifPresent(agent -> {
            throw Problems.refusal(Kind.FORBIDDEN, "Forbidden", "Only a DPO may change staff.", null);
        });
    }

    private static String username(String username) {
        String name = normalise(username);
        if (!USERNAME.matcher(name).matches()) {
            throw Problems.invalid("username",
                    "2 to 100 characters: letters a–z, digits, and . _ @ - (not first); case does not matter.");
        }
        return name;
    }

    /** Passwords so common that a guesser tries them first (and the length rule alone lets through). */
    private static final java.util.Set<String> COMMON = java.util.Set.of("passwordpassword", "password1234",
            "password12345", "password123456", "123456789012", "1234567890123", "12345678901234", "qwertyuiopas",
            "qwertyuiop123", "qwerty123456", "iloveyou1234", "welcome12345", "letmein12345", "administrator",
            "personvern123", "sommer2025!!", "sommer2026!!", "vinter2026!!", "passord12345", "passordpassord",
            "abcdefghijkl", "aaaaaaaaaaaa", "changeme1234", "123123123123", "111111111111", "000000000000");

    static void requirePassword(String password) {
        requirePassword(password, null);
    }

    /**
     * 12 characters to 72 bytes; not a well-known password, not one character repeated, and not the
     * username (or containing it).
     */
    static void requirePassword(String password, String username) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD
                || password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw Problems.invalid("password", "A password has at least " + MIN_PASSWORD + " characters and at most "
                    + MAX_PASSWORD_BYTES + " bytes (about 70 letters a–z).");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        boolean oneCharacter = lower.codePoints().distinct().count() <= 2;
        boolean hasName = username != null && username.length() >= 3 && lower.contains(normalise(username));
        if (COMMON.contains(lower) || oneCharacter || hasName) {
            throw Problems.invalid("password", "This password is too easy to guess: choose a longer phrase of your own,"
                    + " without your username.");
        }
    }

    private String secret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Refusal notFound(UUID id) {
        return Problems.notFound("No member of staff " + id + ".");
    }

    private static Refusal lastDpo() {
        return Problems.invalid("role", "The last active DPO cannot be removed: make another member DPO first.");
    }
}
