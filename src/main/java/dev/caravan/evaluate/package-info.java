/**
 * The evaluation gate ("blessing"): whether a new model version beats the current champion on a metric by the
 * configured margins. Pure decisions on numbers; the pipeline supplies both models' scores on one test split.
 */
package dev.caravan.evaluate;
