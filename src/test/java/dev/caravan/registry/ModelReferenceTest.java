package dev.caravan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelReferenceTest {

    @Test
    void parsesTheThreeForms() {
        assertThat(ModelReference.parse("churn")).isEqualTo(new ModelReference("churn", null, null));
        assertThat(ModelReference.parse("churn:3")).isEqualTo(new ModelReference("churn", 3, null));
        assertThat(ModelReference.parse("churn@champion")).isEqualTo(new ModelReference("churn", null, "champion"));
    }

    @Test
    void printsAsItIsWritten() {
        assertThat(ModelReference.parse("churn:3")).hasToString("churn:3");
        assertThat(ModelReference.parse("churn@champion")).hasToString("churn@champion");
        assertThat(ModelReference.parse("credit-example")).hasToString("credit-example");
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "churn:x            | the version after ':' must be a number from 1 up",
                "churn:0            | the version after ':' must be a number from 1 up",
                "churn:             | the version after ':' must be a number from 1 up",
                "churn:1@champion   | not both",
                "@champion          | '' is not a valid model name",
                "churn@             | '' is not a valid alias",
                "'my model'         | 'my model' is not a valid model name",
                "''                 | got nothing"
            })
    void rejectsWhatIsNotAReference(String text, String message) {
        assertThatThrownBy(() -> ModelReference.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
