/**
 * The split stage: a seeded, deterministic train/validation/test assignment of the cleaned rows, stratified by
 * class for classification targets. Entry point: {@link dev.caravan.split.Splitter}.
 */
package dev.caravan.split;
