package dev.caravan.data;

import java.io.Serializable;

/**
 * Row indices (into the cleaned table) of the train, validation and test splits, each sorted ascending.
 *
 * @param seed the seed that produced the assignment
 * @param stratified whether each split keeps the target's class proportions
 */
public record Split(int[] train, int[] validation, int[] test, long seed, boolean stratified) implements Serializable {}
