package no.personvern.catalog.internal;

/** Where an activity and its fields were declared, for the checks across activities. */
record ActivityLines(int key, int personvern, int list, int documents, int retention, int legalBasis, int purposes,
        int dataSubjects, int dataCategories) {
}
