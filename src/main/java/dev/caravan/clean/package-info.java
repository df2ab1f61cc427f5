/**
 * The clean stage: removes the rows a model must not see (unparseable or non-finite cells, missing values under a
 * drop policy, a missing target, values outside configured ranges, exact duplicates) into a quarantine CSV with
 * their line and reason, and imputes the remaining missing cells. Entry point: {@link dev.caravan.clean.Cleaner}.
 */
package dev.caravan.clean;
