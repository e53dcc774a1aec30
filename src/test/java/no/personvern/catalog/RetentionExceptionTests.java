package no.personvern.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bookkeeping retention counts from the end of the financial year in which the data was collected (bokføringsloven § 13). */
class RetentionExceptionTests {

    private static final ZoneId NORWAY = ZoneId.of("Europe/Oslo");
    private static final RetentionException CALENDAR_YEAR = exception(MonthDay.of(12, 31));
    private static final RetentionException JUNE_YEAR = exception(MonthDay.of(6, 30));

    @Test
    void dataFromTheLastMomentOfAYearIsKeptFiveYearsFromThatYearsEnd() {
        assertThat(CALENDAR_YEAR.keptUntil(oslo("2024-12-31T23:59:59"))).isEqualTo(oslo("2030-01-01T00:00:00"));
    }

    @Test
    void dataFromTheFirstMomentOfAYearBelongsToThatYearAndIsKeptAYearLonger() {
        assertThat(CALENDAR_YEAR.keptUntil(oslo("2025-01-01T00:00:00"))).isEqualTo(oslo("2031-01-01T00:00:00"));
        assertThat(CALENDAR_YEAR.keptUntil(oslo("2025-06-15T12:00:00"))).isEqualTo(oslo("2031-01-01T00:00:00"));
    }

    @Test
    void theYearIsNorwegianNotUtc() {
        // 23:30 UTC on 31 December is already 1 January in Oslo: the new year's data.
        assertThat(CALENDAR_YEAR.keptUntil(Instant.parse("2024-12-31T23:30:00Z"))).isEqualTo(oslo("2031-01-01T00:00:00"));
        assertThat(CALENDAR_YEAR.keptUntil(Instant.parse("2024-12-31T22:30:00Z"))).isEqualTo(oslo("2030-01-01T00:00:00"));
    }

    @Test
    void aFinancialYearEndingInJuneCountsFromItsOwnEnd() {
        assertThat(JUNE_YEAR.keptUntil(oslo("2025-06-30T23:59:00"))).isEqualTo(oslo("2030-07-01T00:00:00"));
        assertThat(JUNE_YEAR.keptUntil(oslo("2025-07-01T00:00:00"))).isEqualTo(oslo("2031-07-01T00:00:00"));
        assertThat(JUNE_YEAR.keptUntil(oslo("2025-01-10T09:00:00"))).isEqualTo(oslo("2030-07-01T00:00:00"));
    }

    @Test
    void aFinancialYearEndingOnTheLeapDayEndsOnTheLastDayOfFebruaryInOtherYears() {
        RetentionException leap = exception(MonthDay.of(2, 29));
        assertThat(leap.keptUntil(oslo("2025-02-28T10:00:00"))).isEqualTo(oslo("2030-03-01T00:00:00"));
        assertThat(leap.keptUntil(oslo("2024-02-29T10:00:00"))).isEqualTo(oslo("2029-03-01T00:00:00"));
    }

    @Test
    void theWordsSayFromTheEndOfTheFinancialYearInBothLanguages() {
        assertThat(CALENDAR_YEAR.describe(Language.EN)).isEqualTo("5 years after the end of the financial year in which"
                + " they were collected (the financial year ends on 31 December)");
        assertThat(JUNE_YEAR.describe(Language.NB)).isEqualTo("5 år etter utgangen av regnskapsåret de ble samlet inn i"
                + " (regnskapsåret slutter 30. juni)");
    }

    @Test
    void anExceptionWithoutAFinancialYearEndUsesTheCalendarYear() {
        RetentionException old = new RetentionException("b", "bokføringsloven § 13", LocalizedText.of("x"),
                List.of("user.name"), IsoPeriod.parse("P5Y").orElseThrow(), List.of());
        assertThat(old.financialYearEnd()).isEqualTo(MonthDay.of(12, 31));
    }

    private static RetentionException exception(MonthDay yearEnd) {
        return new RetentionException("bookkeeping", "bokføringsloven § 13", LocalizedText.of("x"), List.of("user.name"),
                IsoPeriod.parse("P5Y").orElseThrow(), List.of(), yearEnd);
    }

    private static Instant oslo(String local) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(local), NORWAY).toInstant();
    }
}
