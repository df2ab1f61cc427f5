package dev.caravan.cli;

import dev.caravan.api.ApiServer;
import dev.caravan.pipeline.PipelineCatalog;
import dev.caravan.registry.Database;
import dev.caravan.server.CaravanServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code caravan server}: runs the pipelines' schedules and the registry REST API until stopped. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Runs pipelines on their schedules and serves the registry REST API (/api/...).",
            "Writes (POST...) need Authorization: Bearer $CARAVAN_API_TOKEN; without that variable the API is"
                + " read-only. SIGTERM or Ctrl-C stops it: no new runs start, running ones may finish for"
                + " --drain-seconds and are recorded as FAILED after that."})
final class ServerCommand implements Callable<Integer> {
    /** A firing later than this counts as missed: generous, since a late run beats none, yet no backlog builds. */
    private static final Duration MISFIRE_THRESHOLD = Duration.ofSeconds(5);

    @ParentCommand
    private CaravanCli cli;

    @Option(names = "--pipeline", paramLabel = "FILE.yaml", description = "A pipeline spec to load (repeatable).")
    private List<Path> pipelines = new ArrayList<>();

    @Option(names = "--pipelines", paramLabel = "DIR", description = "Load every *.yaml pipeline spec in DIR.")
    private Path directory;

    @Option(names = "--port", defaultValue = "8090", description = "The API's port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "The address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
    private String bind;

    @Option(names = "--drain-seconds", defaultValue = "60",
            description = "On stop, how long running runs may go on before they are recorded as FAILED"
                    + " (default: ${DEFAULT-VALUE}).")
    private long drainSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (drainSeconds < 0) {
            throw new IllegalArgumentException("--drain-seconds must be >= 0, got " + drainSeconds);
        }
        PipelineCatalog catalog = PipelineCatalog.load(pipelines, directory);
        CliContext context = cli.context;
        Database database = context.openDatabase();
        database.closeAtExitByCaller(); // the server's runs need it while they drain
        CaravanServer server;
        try {
            server = CaravanServer.start(catalog, database.dataSource(), new CaravanServer.Settings(bind, port,
                    context.environment().get(ApiServer.TOKEN_VARIABLE), context.home().resolve("runs"),
                    Duration.ofSeconds(drainSeconds), MISFIRE_THRESHOLD));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.err().println("caravan server: stopping");
            server.close();
            database.close();
        }, "caravan-server-stop"));
        context.err().println(server.summary() + "; runs in " + database.description() + " (Ctrl-C stops)");
        new CountDownLatch(1).await(); // the shutdown hook ends the process
        return CaravanCli.EXIT_OK;
    }
}
