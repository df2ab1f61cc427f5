package dev.caravan.cli;

import dev.caravan.api.ApiServer;
import dev.caravan.api.ApiToken;
import dev.caravan.data.CaravanException.Kind;
import dev.caravan.registry.Database;
import dev.caravan.server.CaravanServer;
import dev.caravan.spec.PipelineCatalog;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** {@code caravan server}: runs the pipelines' schedules and the registry REST API until stopped. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = {
            "Runs pipelines on their schedules and serves the registry REST API (/api/...).",
            "Writes (POST...) need Authorization: Bearer $CARAVAN_API_TOKEN; without that variable the API is"
                    + " read-only. SIGTERM or Ctrl-C stops it: no new runs start, running ones may finish for"
                    + " --drain-seconds and are recorded as FAILED after that."
        })
final class ServerCommand implements Callable<Integer> {
    /** A firing later than this counts as missed: generous, since a late run beats none, yet no backlog builds. */
    private static final Duration MISFIRE_THRESHOLD = Duration.ofSeconds(5);

    @ParentCommand
    private CaravanCli cli;

    @Option(names = "--pipeline", paramLabel = "FILE.yaml", description = "A pipeline spec to load (repeatable).")
    private List<Path> pipelines = new ArrayList<>();

    @Option(names = "--pipelines", paramLabel = "DIR", description = "Load every *.yaml pipeline spec in DIR.")
    private Path directory;

    @Option(
            names = "--port",
            defaultValue = "8090",
            paramLabel = "PORT",
            description = "The API's port; 0 takes any free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            paramLabel = "ADDRESS",
            description = "The address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
    private String bind;

    @Option(
            names = "--drain-seconds",
            defaultValue = "60",
            paramLabel = "SECONDS",
            description = "On stop, how long running runs may go on before they are recorded as FAILED"
                    + " (default: ${DEFAULT-VALUE}).")
    private long drainSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (drainSeconds < 0) {
            throw new IllegalArgumentException("--drain-seconds must be >= 0, got " + drainSeconds);
        }
        CliContext context = cli.context;
        String apiToken = ApiToken.check(context.environment().get(ApiServer.TOKEN_VARIABLE));
        PipelineCatalog catalog = PipelineCatalog.load(pipelines, directory);
        CountDownLatch stop = new CountDownLatch(1);
        try (Database database = context.openDatabase();
                CaravanServer server = CaravanServer.start(
                        catalog,
                        database,
                        new CaravanServer.Settings(
                                bind,
                                port,
                                apiToken,
                                context.home().resolve("runs"),
                                context.heartbeatTimeout(),
                                Duration.ofSeconds(drainSeconds),
                                MISFIRE_THRESHOLD))) {
            stopOnSignal(stop, context.err());
            context.err().println(server.summary() + " (Ctrl-C stops)");
            stop.await();
            context.err()
                    .println("caravan server: stopping; running runs get up to " + drainSeconds
                            + " s to finish (a second Ctrl-C exits at once)");
        }
        return CaravanCli.EXIT_OK;
    }

    /**
     * SIGTERM and SIGINT release {@code stop}, so that the server stops in order before the JVM's shutdown hooks run:
     * those tear down what a running run still needs (ONNX Runtime closes its environment in one). A second signal
     * exits at once, leaving running runs RUNNING, as a crash would.
     */
    private static void stopOnSignal(CountDownLatch stop, PrintStream err) {
        SignalHandler handler = signal -> {
            if (stop.getCount() == 0) {
                err.println("caravan server: exiting without waiting for running runs");
                System.exit(Kind.UNAVAILABLE.exitCode()); // runs cut off, as by a crash
            }
            stop.countDown();
        };
        Signal.handle(new Signal("TERM"), handler);
        Signal.handle(new Signal("INT"), handler);
    }
}
