/**
 * Runs pipelines. {@link dev.caravan.pipeline.PipelineStages} is the one ordered, typed definition of the stages
 * ({@link dev.caravan.pipeline.Stage}: name, body, typed output, cache settings); {@code routes/pipeline.yaml}
 * lists them for people and is checked against it at start-up ({@code PipelineRoute}).
 * {@link dev.caravan.pipeline.PipelineRunner} runs the routes on a {@link dev.caravan.pipeline.CamelHost}; each
 * stage route calls a {@code RecordedStage}, which records its stage run, reuses a cached result or runs the body
 * ({@code DataStages}, {@code TrainingStages}, {@code ExportStages}, {@code ReleaseStages}), saves the output as its
 * checkpoint and keeps it in the {@link dev.caravan.pipeline.RunState} for later stages. Any failure goes to
 * {@code RunFailureHandler}. {@link dev.caravan.pipeline.BackgroundRuns} runs pipelines for {@code caravan server};
 * {@link dev.caravan.pipeline.RunReport} is a run as the CLI and the REST API show it.
 */
package dev.caravan.pipeline;
