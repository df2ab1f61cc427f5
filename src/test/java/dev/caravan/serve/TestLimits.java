package dev.caravan.serve;

import java.time.Duration;

/** Limits for serving tests that are not about overload. */
final class TestLimits {
    /**
     * Long enough that a request never waits past it on a loaded runner: these tests train or swap models
     * beside their clients, and the default 20 ms queue wait would refuse some requests there (503), as it
     * should under overload.
     */
    private static final Duration PATIENT_QUEUE_WAIT = Duration.ofSeconds(10);

    private TestLimits() {}

    static ModelServer.Limits patient(int maxBodyBytes) {
        return new ModelServer.Limits(
                maxBodyBytes,
                ModelServer.Limits.DEFAULT_MAX_ROWS,
                ModelServer.Limits.DEFAULT_REQUEST_TIMEOUT,
                PATIENT_QUEUE_WAIT);
    }
}
