/**
 * The train stage: MLPs on DJL's PyTorch engine (GPU when there is one, else CPU), trained with
 * {@link dev.caravan.train.EarlyStopping} that restores the best epoch's weights, and
 * {@link dev.caravan.train.ModelSelector}, which trains a grid or a seeded random sample of candidates and scores
 * the best one on the test split beside a trivial baseline.
 */
package dev.caravan.train;
