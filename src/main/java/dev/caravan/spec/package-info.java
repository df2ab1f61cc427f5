/**
 * Pipeline specs: {@link dev.caravan.spec.PipelineSpec} (the typed schema and its defaults),
 * {@link dev.caravan.spec.SpecLoader} (YAML and recorded JSON, with errors naming the file, line and setting),
 * {@link dev.caravan.spec.StageFactory} (the stage packages' objects built from a spec, and the check of every
 * setting) and {@link dev.caravan.spec.PipelineCatalog} (the specs {@code caravan server} serves).
 */
package dev.caravan.spec;
