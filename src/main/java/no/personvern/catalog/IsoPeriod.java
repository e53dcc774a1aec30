package no.personvern.catalog;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ISO 8601 duration such as {@code P3M}, {@code P5Y} or {@code P1DT12H}: a calendar part
 * (years, months, weeks, days) and a clock part. Calendar arithmetic is done in UTC.
 */
public record IsoPeriod(Period period, Duration time) {

    private static final Pattern SHAPE = Pattern.compile(
            "P(?!$)((?:\\d+Y)?(?:\\d+M)?(?:\\d+W)?(?:\\d+D)?)(?:T(?=\\d)((?:\\d+H)?(?:\\d+M)?(?:\\d+(?:\\.\\d+)?S)?))?");

    public static final IsoPeriod ZERO = new IsoPeriod(Period.ZERO, Duration.ZERO);

    public static Optional<IsoPeriod> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = SHAPE.matcher(text.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            Period period = matcher.group(1).isEmpty() ? Period.ZERO : Period.parse("P" + matcher.group(1));
            Duration time = matcher.group(2) == null ? Duration.ZERO : Duration.parse("PT" + matcher.group(2));
            return Optional.of(new IsoPeriod(period, time));
        } catch (DateTimeParseException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    public Instant addTo(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).plus(period).plus(time).toInstant();
    }

    /** The instant this period before {@code instant}: a value collected then is due now. */
    public Instant subtractFrom(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).minus(time).minus(period).toInstant();
    }

    public boolean isZero() {
        return period.isZero() && time.isZero();
    }

    /** The duration in words, e.g. "3 months" or "3 måneder". */
    public String describe(Language language) {
        boolean nb = language == Language.NB;
        List<String> parts = new ArrayList<>();
        add(parts, period.getYears(), nb ? "år" : "year", nb ? "år" : "years");
        add(parts, period.getMonths(), nb ? "måned" : "month", nb ? "måneder" : "months");
        add(parts, period.getDays(), nb ? "dag" : "day", nb ? "dager" : "days");
        add(parts, time.toHoursPart() + time.toDaysPart() * 24, nb ? "time" : "hour", nb ? "timer" : "hours");
        add(parts, time.toMinutesPart(), nb ? "minutt" : "minute", nb ? "minutter" : "minutes");
        add(parts, time.toSecondsPart(), nb ? "sekund" : "second", nb ? "sekunder" : "seconds");
        if (parts.isEmpty()) {
            return nb ? "straks" : "immediately";
        }
        String and = nb ? " og " : " and ";
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + and + parts.get(parts.size() - 1);
    }

    private static void add(List<String> parts, long amount, String one, String many) {
        if (amount != 0) {
            parts.add(amount + " " + (amount == 1 ? one : many));
        }
    }

    @JsonValue
    @Override
    public String toString() {
        if (isZero()) {
            return "P0D";
        }
        String date = period.isZero() ? "P" : period.toString();
        return time.isZero() ? date : date + time.toString().substring(1);
    }
}
