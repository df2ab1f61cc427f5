/**
 * What every package shares. The typed artifacts that stages exchange: the columnar {@link dev.caravan.data.Table},
 * its profile, the train/validation/test {@link dev.caravan.data.Split}, the {@link dev.caravan.data.FittedTransform}
 * that turns a raw row into the model's feature vector, the {@link dev.caravan.data.DeployableModel} a server loads.
 * And the helpers written once: the one error type with its kind ({@link dev.caravan.data.CaravanException}), the
 * one JSON configuration ({@link dev.caravan.data.Json}), {@link dev.caravan.data.Sha256} and seeded
 * {@link dev.caravan.data.Shuffle}s. Stages depend on this package, never on each other; the model server's image
 * ships it whole.
 */
package dev.caravan.data;
