package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.data.CaravanException;
import dev.caravan.data.Json;
import dev.caravan.pipeline.RunReport;
import dev.caravan.registry.Database;
import dev.caravan.registry.Paging;
import dev.caravan.registry.RunQueries;
import dev.caravan.registry.entity.RunDetail;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code caravan runs list|show|search}: reads the run store. */
@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        description = "Lists, shows and searches recorded runs.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.ShowRun.class, RunsCommand.SearchRuns.class})
final class RunsCommand implements Runnable {
    @ParentCommand
    private CaravanCli cli;

    @Override
    public void run() {
        new CommandLine(this).usage(cli.context.out());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the most recent runs.")
    static final class ListRuns implements Callable<Integer> {
        @ParentCommand
        private RunsCommand runs;

        @Option(names = "--limit", defaultValue = "20", description = "How many runs (default: ${DEFAULT-VALUE}).")
        private int limit;

        @Option(
                names = "--offset",
                defaultValue = "0",
                description = "Skip this many of the newest runs: the" + " nextOffset of the previous page.")
        private int offset;

        @Option(names = "--json", description = "Print {\"runs\": [...], \"nextOffset\": N} on stdout.")
        private boolean json;

        @Override
        public Integer call() {
            CliContext context = runs.cli.context;
            try (Database database = context.openDatabase()) {
                JsonNode page = Json.tree(database.registry().runQueries().search(null, List.of(), limit, offset));
                if (json) {
                    context.out().println(Json.pretty(page));
                } else {
                    RunPrinter.printList(page, context.out());
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
                RunQueries queries = database.registry().runQueries();
                Optional<UUID> id = queries.resolve(runId);
                RunDetail detail = id.flatMap(queries::detail)
                        .orElseThrow(() ->
                                CaravanException.notFound("no run with id " + runId + " (see caravan runs list)"));
                RunPrinter.print(RunReport.of(detail), json, context.out());
                return CaravanCli.EXIT_OK;
            }
        }
    }

    @Command(
            name = "search",
            mixinStandardHelpOptions = true,
            description = "Finds runs by their metrics, params, tags and attributes, or aggregates them by group.",
            footer = {
                "%nExamples:",
                "  caravan runs search --filter \"metrics.rmse < 0.5 AND params.optimizer = 'adam'\"",
                "      --order-by \"metrics.rmse ASC\" --limit 10",
                "  caravan runs search --filter \"status = 'SUCCEEDED' OR tags.team IN ('ml', 'data')\"",
                "      --group-by params.learningRate --agg \"min(metrics.val_loss)\" --agg \"count(*)\""
            })
    static final class SearchRuns implements Callable<Integer> {
        @ParentCommand
        private RunsCommand runs;

        @Option(
                names = "--filter",
                paramLabel = "EXPR",
                description = "Which runs: comparisons of metrics.KEY,"
                        + " params.KEY, tags.KEY, status, pipeline, trigger, run_id, started_at, finished_at, failed_stage"
                        + " (= != < <= > >= LIKE IN) joined by AND, OR, NOT and parentheses; default: every run.")
        private String filter;

        @Option(
                names = "--order-by",
                paramLabel = "FIELD [ASC|DESC]",
                description = "Order of the runs, repeatable"
                        + " or comma-separated (default: started_at DESC); runs without the field come last.")
        private List<String> orderBy = new ArrayList<>();

        @Option(
                names = "--limit",
                defaultValue = "" + RunQueries.DEFAULT_LIMIT,
                description =
                        "How many runs (default: ${DEFAULT-VALUE}, at most " + Paging.MAX_LIMIT + "); not for groups.")
        private int limit;

        @Option(
                names = "--offset",
                defaultValue = "0",
                description = "Skip this many matching runs: the nextOffset" + " of the previous page.")
        private int offset;

        @Option(
                names = "--group-by",
                paramLabel = "FIELD",
                description = "Aggregate the runs by this field" + " (repeatable).")
        private List<String> groupBy = new ArrayList<>();

        @Option(
                names = "--agg",
                paramLabel = "FUNCTION(FIELD)",
                description = "An aggregate per group (repeatable):"
                        + " count(*), count(FIELD), min, max, avg or sum of a metric, param or tag; default: count(*).")
        private List<String> aggregates = new ArrayList<>();

        @Option(
                names = "--json",
                description = "Print {\"runs\": [...], \"nextOffset\": N} or {\"groups\": [...]}" + " on stdout.")
        private boolean json;

        @Override
        public Integer call() {
            CliContext context = runs.cli.context;
            boolean grouped = !groupBy.isEmpty() || !aggregates.isEmpty();
            if (grouped && !orderBy.isEmpty()) {
                throw new IllegalArgumentException("--order-by orders runs; groups come ordered by their values");
            }
            try (Database database = context.openDatabase()) {
                RunQueries queries = database.registry().runQueries();
                JsonNode result = Json.tree(
                        grouped
                                ? queries.aggregate(filter, groupBy, aggregates)
                                : queries.search(filter, orderBy, limit, offset));
                if (json) {
                    context.out().println(Json.pretty(result));
                } else if (grouped) {
                    SearchPrinter.printGroups(result, context.out());
                } else {
                    SearchPrinter.printRuns(result, context.out());
                }
                return CaravanCli.EXIT_OK;
            }
        }
    }
}
