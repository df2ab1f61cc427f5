/**
 * The typed artifacts that stages exchange: the columnar {@link dev.caravan.data.Table}, its profile, the
 * train/validation/test {@link dev.caravan.data.Split}, and the {@link dev.caravan.data.FittedTransform} that turns
 * a raw row into the model's feature vector. Stages depend on this package, never on each other.
 */
package dev.caravan.data;
