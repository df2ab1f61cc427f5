package dev.caravan.pipeline;

import dev.caravan.registry.Records.StageOutcome;
import dev.caravan.registry.RunStore;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage as a Camel processor: opens its stage run, runs the body, and records the outcome in one transaction.
 * A failure propagates to the routes' shared error handler, which records it against this stage.
 */
final class RecordedStage implements Processor {
    /** A JVM error inside a stage, carried as an exception so that the run is recorded as FAILED. */
    static final class StageFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StageFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(RecordedStage.class);

    private final String name;
    private final RunStore store;
    private final Function<RunState, StageReport> body;

    RecordedStage(String name, RunStore store, Function<RunState, StageReport> body) {
        this.name = name;
        this.store = store;
        this.body = body;
    }

    @Override
    public void process(Exchange exchange) {
        RunState state = exchange.getIn().getBody(RunState.class);
        state.enterStage(name, store.startStage(state.runId(), name));
        long started = System.nanoTime();
        StageReport report;
        try {
            report = body.apply(state);
        } catch (OutOfMemoryError e) {
            // Camel's error handler sees exceptions only: without this the run would stay RUNNING
            throw new StageFailure("out of memory; give the JVM more, e.g. CARAVAN_JAVA_OPTS=-Xmx8g", e);
        } catch (StackOverflowError | LinkageError e) {
            throw new StageFailure(e.toString(), e);
        }
        Integer version = store.finishStage(state.runId(), new StageOutcome(state.currentStageRunId(),
                report.rowsIn(), report.rowsOut(), Json.write(report.metrics()), report.artifacts(),
                report.products()));
        if (version != null) {
            state.modelVersion = version;
        }
        LOG.info("{}: done in {} ms{}", name, (System.nanoTime() - started) / 1_000_000,
                report.rowsOut() == null ? "" : ", " + report.rowsOut() + " rows out");
        state.leaveStage();
    }
}
