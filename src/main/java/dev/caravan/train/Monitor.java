package dev.caravan.train;

/** What early stopping and model selection watch on the validation split. */
public enum Monitor {
    /** The validation loss; lower wins. */
    VAL_LOSS,
    /** Validation accuracy, for classification; higher wins. */
    VAL_ACCURACY;

    public boolean maximizes() {
        return this == VAL_ACCURACY;
    }
}
