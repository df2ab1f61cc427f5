package dev.caravan.pipeline;

import dev.caravan.data.CaravanException;
import dev.caravan.data.CaravanException.Kind;
import dev.caravan.registry.Runs;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes' shared error handler (see {@code routeConfiguration} in routes/pipeline.yaml): records the run as
 * FAILED with the stage at fault and a one-line cause, in one transaction with the stage's own FAILED row. Only a
 * fault keeps its stack trace in the log; every other kind of failure says what to change in its message.
 */
final class RunFailureHandler implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(RunFailureHandler.class);

    private final Runs runs;

    RunFailureHandler(Runs runs) {
        this.runs = runs;
    }

    @Override
    public void process(Exchange exchange) {
        RunState state = exchange.getIn().getBody(RunState.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String message = CaravanException.oneLine(cause);
        String stage = state.currentStageName();
        Kind kind = cause == null ? Kind.FAULT : CaravanException.kindOf(cause);
        state.fail(stage + ": " + message, kind);
        record(state, stage, message);
        if (kind == Kind.FAULT) {
            LOG.error("{} failed", stage, cause);
        } else {
            LOG.error("{} failed: {}", stage, message);
        }
    }

    /**
     * Records the failure; when the run store cannot take it either (the database is still away), says so in one
     * line instead of failing the error handler: the run stays RUNNING until the abandoned-run sweep marks it.
     */
    private void record(RunState state, String stage, String message) {
        try {
            runs.fail(state.runId(), state.currentStageRunId(), stage, message);
        } catch (RuntimeException e) {
            LOG.error(
                    "run {}: cannot record its failure ({}); it stays RUNNING until a sweep finds it abandoned"
                            + " (no heartbeat for the timeout), then caravan resume continues it",
                    state.runId(),
                    CaravanException.oneLine(e));
        }
    }
}
