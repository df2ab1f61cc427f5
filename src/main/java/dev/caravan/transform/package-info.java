/**
 * The transform stage: fits the {@link dev.caravan.data.FittedTransform} (encoding and min-max or z-score
 * normalization, fitted on the training split only) and encodes the three splits with it. Entry point:
 * {@link dev.caravan.transform.TransformFitter}.
 */
package dev.caravan.transform;
