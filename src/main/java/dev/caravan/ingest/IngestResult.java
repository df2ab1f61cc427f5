package dev.caravan.ingest;

import dev.caravan.data.DatasetProfile;
import dev.caravan.data.Table;

/** The ingested table and its profile. */
public record IngestResult(Table table, DatasetProfile profile) {
}
