package dev.caravan.registry;

import java.util.UUID;

/**
 * A stage tried to record something for a run that is no longer RUNNING: the server stopped it, or another
 * process found it abandoned. Nothing of the stage is recorded, so a run recorded as ended stays as it was.
 */
public final class RunNotRunningException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    RunNotRunningException(UUID runId, String status) {
        super("run " + runId + " is " + status + ", no longer RUNNING (it was stopped, or found abandoned);"
                + " this stage's results are not recorded");
    }
}
