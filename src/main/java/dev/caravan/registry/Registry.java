package dev.caravan.registry;

/**
 * The registry on one database, split by job: run lifecycles, stage runs and what they made, the step cache,
 * model versions and aliases, and the queries over runs and models. All of them share one {@link Jdbc}.
 */
public record Registry(
        Runs runs,
        StageRuns stages,
        StepCache cache,
        ModelVersions versions,
        RunQueries runQueries,
        ModelQueries models) {

    public static Registry of(Jdbc jdbc) {
        return new Registry(
                new Runs(jdbc),
                new StageRuns(jdbc),
                new StepCache(jdbc),
                new ModelVersions(jdbc),
                new RunQueries(jdbc),
                new ModelQueries(jdbc));
    }
}
