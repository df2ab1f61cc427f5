/**
 * The train stage: MLPs on DJL's PyTorch engine (GPU when there is one, else CPU), trained by
 * {@link dev.caravan.train.MlpTrainer} with {@link dev.caravan.train.EarlyStopping} that restores the best epoch's
 * weights. Initial weights, dropout masks and batch order come from generators of each candidate's own, so a seeded
 * run is reproducible whatever else the process trains. {@link dev.caravan.train.ModelSelector} picks the best
 * candidate and scores it on the test split beside a trivial baseline; {@link dev.caravan.train.Scores} defines
 * every metric once.
 */
package dev.caravan.train;
