package dev.caravan.cli;

import dev.caravan.data.DeployableModel;
import dev.caravan.registry.Database;
import dev.caravan.registry.ModelReference;
import dev.caravan.registry.ModelVersions;
import dev.caravan.serve.ModelServer;
import dev.caravan.serve.ModelWatcher;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code caravan serve}: serves a registered model over HTTP until stopped. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves a model's deployable ONNX export over HTTP (/predict, KServe v2, /metrics).",
            "NAME follows the newest version, NAME@ALIAS follows an alias (e.g. champion); either swaps the new"
                    + " version in when it changes. NAME:VERSION pins one."
        })
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    private CaravanCli cli;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "NAME[@ALIAS|:VERSION]",
            description = "The model to serve: the newest version, the one an alias points at, or a pinned one.")
    private String model;

    @Option(names = "--port", defaultValue = "8080", description = "The HTTP port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--poll-seconds",
            defaultValue = "5",
            description = "How often to look for a new version (default: ${DEFAULT-VALUE}).")
    private int pollSeconds;

    @Option(
            names = "--max-body-bytes",
            defaultValue = "1048576",
            description = "Larger request bodies get HTTP 413 (default: ${DEFAULT-VALUE}).")
    private int maxBodyBytes;

    @Option(
            names = "--max-rows",
            defaultValue = "" + ModelServer.Limits.DEFAULT_MAX_ROWS,
            description =
                    "Rows one /predict or /infer request may hold; more get HTTP 400 (default: ${DEFAULT-VALUE}).")
    private int maxRows;

    @Option(
            names = "--request-timeout-seconds",
            defaultValue = "10",
            description = "A request not received in full by then gets HTTP 408 and its connection closed"
                    + " (default: ${DEFAULT-VALUE}).")
    private long requestTimeoutSeconds;

    @Option(
            names = "--max-queue-wait-ms",
            defaultValue = "" + ModelServer.Limits.DEFAULT_QUEUE_WAIT_MILLIS,
            description = "How long a request may wait for inference to start; one that would wait longer gets"
                    + " HTTP 503 with Retry-After at once (default: ${DEFAULT-VALUE}).")
    private long maxQueueWaitMillis;

    // On by default: bench/serve.sh measured it faster (12.2k against 9.4k req/s, lower p50 and p99)
    @Option(
            names = "--max-batch",
            defaultValue = "32",
            description = "Gather up to this many concurrent single-row /predict requests into one inference;"
                    + " 1 turns micro-batching off (default: ${DEFAULT-VALUE}).")
    private int maxBatch;

    @Option(
            names = "--max-delay-us",
            defaultValue = "200",
            description = "How long a row waits for others to batch with, in microseconds (default: ${DEFAULT-VALUE}).")
    private long maxDelayMicros;

    @Option(names = "--threads", defaultValue = "2", description = "HTTP event loops (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Override
    public Integer call() throws InterruptedException {
        ModelReference reference = ModelReference.parse(model);
        try (Database database = cli.context.openDatabase();
                ModelServer server = ModelServer.start(
                        reference.name(),
                        port,
                        new ModelServer.Limits(
                                maxBodyBytes,
                                maxRows,
                                Duration.ofSeconds(requestTimeoutSeconds),
                                Duration.ofMillis(maxQueueWaitMillis)),
                        threads,
                        maxBatch,
                        maxDelayMicros);
                ModelWatcher watcher =
                        new ModelWatcher(reference.toString(), deployable(database, reference), server)) {
            watcher.start(Duration.ofSeconds(pollSeconds));
            cli.context
                    .err()
                    .println("serving " + reference.name() + " version "
                            + server.model().version() + " on port " + server.port() + " (Ctrl-C stops)");
            new CountDownLatch(1).await();
            return CaravanCli.EXIT_OK;
        }
    }

    /** What the registry says the server should serve now. */
    private static Supplier<Optional<DeployableModel>> deployable(Database database, ModelReference reference) {
        ModelVersions versions = database.registry().versions();
        return () -> versions.deployable(reference.name(), reference.version(), reference.alias());
    }
}
