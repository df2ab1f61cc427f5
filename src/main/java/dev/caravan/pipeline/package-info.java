/**
 * The Camel glue. {@link dev.caravan.pipeline.PipelineRunner} starts Camel Main on {@code routes/pipeline.yaml},
 * whose routes call one {@link dev.caravan.pipeline.RecordedStage} per stage; each records its stage run, calls
 * the stage package through {@link dev.caravan.pipeline.Stages}, and hands the typed artifacts on in the
 * {@link dev.caravan.pipeline.RunState}. The shared {@code routeConfiguration} sends any failure to
 * {@link dev.caravan.pipeline.RunFailureHandler}. {@link dev.caravan.pipeline.PipelineSpec} is the YAML spec;
 * {@link dev.caravan.pipeline.RunReport} is the run as JSON.
 */
package dev.caravan.pipeline;
