package no.personvern.catalog.internal;

/** A key as a catalog entry names it, with the line, for checks that can only run once everything is read. */
record Declared(String key, int line) {
}
