package dev.caravan.pipeline;

/** Another run of the pipeline holds its lock (in this process or another one on the same database). */
public final class PipelineBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PipelineBusyException(String pipeline) {
        super("pipeline '" + pipeline + "' is already running (another run holds its lock); try again when it ends");
    }
}
