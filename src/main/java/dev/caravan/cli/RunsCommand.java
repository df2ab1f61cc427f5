package dev.caravan.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.pipeline.Json;
import dev.caravan.pipeline.RunReport;
import dev.caravan.registry.Database;
import dev.caravan.registry.Records.Run;
import dev.caravan.registry.Records.RunDetail;
import dev.caravan.registry.RunStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code caravan runs list|show}: reads the run store. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Lists and shows recorded runs.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.ShowRun.class})
final class RunsCommand implements Runnable {
    @ParentCommand
    private CaravanCli cli;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(cli.context.out());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the most recent runs.")
    static final class ListRuns implements Callable<Integer> {
        @ParentCommand
        private RunsCommand runs;

        @Option(names = "--limit", defaultValue = "20", description = "How many runs (default: ${DEFAULT-VALUE}).")
        private int limit;

        @Option(names = "--json", description = "Print {\"runs\": [...]} on stdout.")
        private boolean json;

        @Override
        public Integer call() {
            CliContext context = runs.cli.context;
            try (Database database = context.openDatabase()) {
                List<Run> recent = new RunStore(database.dataSource()).listRuns(limit);
                if (json) {
                    ObjectNode result = Json.MAPPER.createObjectNode();
                    ArrayNode list = result.putArray("runs");
                    recent.forEach(run -> list.add(RunPrinter.summary(run)));
                    context.out().println(Json.pretty(result));
                } else {
                    RunPrinter.printList(recent, context.out());
                }
                return CaravanCli.EXIT_OK;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one run, its stages and artifacts.")
    static final class ShowRun implements Callable<Integer> {
        @ParentCommand
        private RunsCommand runs;

        @Parameters(paramLabel = "RUN_ID", description = "The run's id, or a unique prefix of it.")
        private String runId;

        @Option(names = "--json", description = "Print the run as one JSON object on stdout.")
        private boolean json;

        @Override
        public Integer call() {
            CliContext context = runs.cli.context;
            try (Database database = context.openDatabase()) {
                Optional<RunDetail> detail = new RunStore(database.dataSource()).findRun(runId);
                if (detail.isEmpty()) {
                    context.err().println("error: no run with id " + runId + " (see caravan runs list)");
                    return CaravanCli.EXIT_USAGE;
                }
                RunPrinter.print(RunReport.of(detail.get()), json, context.out());
                return CaravanCli.EXIT_OK;
            }
        }
    }
}
