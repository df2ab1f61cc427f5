package dev.caravan.pipeline;

import dev.caravan.data.DataException;
import dev.caravan.deploy.DeployException;
import dev.caravan.onnx.ExportException;
import dev.caravan.train.TrainingException;
import dev.caravan.registry.RunNotRunningException;
import dev.caravan.registry.RunStore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes' shared error handler (see {@code routeConfiguration} in routes/pipeline.yaml): records the run as
 * FAILED with the stage at fault and a one-line cause, in one transaction with the stage's own FAILED row.
 */
final class RunFailureHandler implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(RunFailureHandler.class);

    private final RunStore store;

    RunFailureHandler(RunStore store) {
        this.store = store;
    }

    @Override
    public void process(Exchange exchange) {
        RunState state = exchange.getIn().getBody(RunState.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String message = oneLine(cause);
        String stage = state.currentStage() == null ? "pipeline" : state.currentStage();
        store.failRun(state.runId(), state.currentStageRunId(), stage, message);
        state.fail(stage + ": " + message, cause instanceof ConfigException);
        if (isExpected(cause)) {
            LOG.error("{} failed: {}", stage, message);
        } else {
            LOG.error("{} failed", stage, cause); // unexpected: keep the stack trace for the engineer
        }
    }

    /** The message alone for expected errors; the exception's type too when it is a surprise. */
    static String oneLine(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String message = cause.getMessage() == null ? "" : cause.getMessage().replaceAll("\\s*\\R\\s*", " ");
        return isExpected(cause) && !message.isEmpty() ? message : cause.getClass().getSimpleName() + ": " + message;
    }

    /** Failures the user can act on from the message alone; anything else is a fault worth a stack trace. */
    private static boolean isExpected(Throwable cause) {
        return cause instanceof DataException || cause instanceof ConfigException || cause instanceof TrainingException
                || cause instanceof ExportException || cause instanceof DeployException
                || cause instanceof RecordedStage.StageFailure
                || cause instanceof java.io.UncheckedIOException || cause instanceof RunNotRunningException;
    }
}
