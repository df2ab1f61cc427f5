/**
 * The ingest stage: streams a CSV file into a columnar {@link dev.caravan.data.Table}, inferring each column's type
 * from the first rows, and profiles it (sha256, shape, per-column statistics). Entry point:
 * {@link dev.caravan.ingest.CsvIngestor}.
 */
package dev.caravan.ingest;
