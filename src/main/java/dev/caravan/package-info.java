/**
 * Caravan: an MLOps pipeline on Apache Camel. The CLI ({@code cli}) starts the Camel routes ({@code pipeline}),
 * which run one stage package after another ({@code ingest}, {@code clean}, {@code split}, {@code transform});
 * the stages exchange the typed artifacts of {@code data}, and the glue records everything in the run store
 * ({@code registry}).
 */
package dev.caravan;
