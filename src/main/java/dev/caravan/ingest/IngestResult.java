package dev.caravan.ingest;

import dev.caravan.data.DatasetProfile;
import dev.caravan.data.Table;
import java.io.Serializable;

/** The ingested table and its profile. */
public record IngestResult(Table table, DatasetProfile profile) implements Serializable {}
