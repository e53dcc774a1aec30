package no.personvern.catalog.internal;

/** Where an activity and its optional Personvern fields were declared, for the checks across activities. */
record ActivityLines(int key, int personvern, int list, int documents, int retention) {
}
