/**
 * The run store in PostgreSQL: {@link dev.caravan.registry.Database} opens an embedded server (default, data under
 * {@code $CARAVAN_HOME}) or an external one and applies the Flyway migrations of {@code db/migration};
 * {@link dev.caravan.registry.RunStore} records runs, stages, datasets and artifacts, each group of writes that
 * belongs together in one transaction; {@link dev.caravan.registry.PipelineLock} keeps runs of one pipeline from
 * overlapping. {@link dev.caravan.registry.RunSearch} answers registry queries (runs by filter, aggregates, the
 * best model version) as JSON; {@code FilterParser} parses the filter language and {@code FilterSql} compiles it
 * into parameterized SQL. {@link dev.caravan.registry.ModelRegistry} answers questions about models as JSON
 * (versions, lineage, alias history) and moves aliases under the blessing rule, naming versions by
 * {@link dev.caravan.registry.ModelReference}.
 */
package dev.caravan.registry;
