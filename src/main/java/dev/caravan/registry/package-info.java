/**
 * The run store and model registry in PostgreSQL. {@link dev.caravan.registry.Database} opens an embedded server
 * (default, data under {@code $CARAVAN_HOME}) or an external one and applies the Flyway migrations of
 * {@code db/migration}. {@link dev.caravan.registry.Registry} bundles the stores, split by job and all on
 * {@link dev.caravan.registry.Jdbc} (one transaction per unit of work; reads are read-only snapshots with a
 * statement timeout): {@link dev.caravan.registry.Runs} (run lifecycle), {@link dev.caravan.registry.StageRuns}
 * (stage runs and what they made), {@link dev.caravan.registry.StepCache}, {@link dev.caravan.registry.ModelVersions}
 * (version numbering, blessings, alias moves), {@link dev.caravan.registry.RunQueries} and
 * {@link dev.caravan.registry.ModelQueries}. Reads return the records of {@code registry.entity}; JSON is made at the
 * CLI and API edges. {@code FilterParser} parses the filter language and {@code FilterSql} compiles it into
 * parameterized SQL; {@link dev.caravan.registry.PipelineLock} keeps runs of one pipeline from overlapping.
 */
package dev.caravan.registry;
