package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.data.Json;
import dev.caravan.registry.Database;
import dev.caravan.registry.ModelQueries;
import dev.caravan.registry.ModelVersions;
import dev.caravan.registry.Registry;
import java.io.PrintStream;
import java.util.function.BiConsumer;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code caravan models list|versions|show|lineage|promote|history}: reads the model registry and moves aliases.
 * Each subcommand prints the registry's JSON answer with {@code --json}, else a text view of it.
 */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Lists, shows and traces registered model versions; moves their aliases.")
final class ModelsCommand implements Runnable {
    private static final String REFERENCE = "NAME:VERSION, NAME@ALIAS, or NAME for the newest version.";
    private static final String JSON = "Print one JSON object on stdout.";

    @ParentCommand
    private CaravanCli cli;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(cli.context.out());
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the registered models with their newest version and aliases.")
    int list(@Option(names = "--json", description = JSON) boolean json) {
        return answer(json, registry -> registry.models().list(), ModelPrinter::printModels);
    }

    @Command(
            name = "versions",
            mixinStandardHelpOptions = true,
            description = "Lists a model's versions, newest first: blessing, precision, aliases, image, metrics.")
    int versions(
            @Parameters(paramLabel = "NAME", description = "The model.") String name,
            @Option(
                            names = "--limit",
                            defaultValue = "" + ModelQueries.DEFAULT_LIMIT,
                            description = "How many (default: ${DEFAULT-VALUE}).")
                    int limit,
            @Option(
                            names = "--offset",
                            defaultValue = "0",
                            description = "Skip this many of the newest: the nextOffset of the previous page.")
                    int offset,
            @Option(names = "--json", description = JSON) boolean json) {
        return answer(json, registry -> registry.models().versions(name, limit, offset), ModelPrinter::printVersions);
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Shows one version: metrics, blessing decision, ONNX choice, deployment, alias moves.")
    int show(
            @Parameters(paramLabel = "REFERENCE", description = REFERENCE) String reference,
            @Option(names = "--json", description = JSON) boolean json) {
        return answer(json, registry -> registry.models().show(reference), ModelPrinter::printVersion);
    }

    @Command(
            name = "lineage",
            mixinStandardHelpOptions = true,
            description = "Traces a version to its run, the run's stages and their artifacts, and the dataset.")
    int lineage(
            @Parameters(paramLabel = "REFERENCE", description = REFERENCE) String reference,
            @Option(names = "--json", description = JSON) boolean json) {
        return answer(json, registry -> registry.models().lineage(reference), ModelPrinter::printLineage);
    }

    @Command(
            name = "promote",
            mixinStandardHelpOptions = true,
            description = {
                "Points an alias at a version and records who moved it and why in the alias history.",
                "Only a blessed version may become champion; --force overrides that and the move is recorded as"
                        + " forced."
            })
    int promote(
            @Parameters(paramLabel = "REFERENCE", description = REFERENCE) String reference,
            @Option(names = "--alias", required = true, description = "The alias to move, such as champion.")
                    String alias,
            @Option(names = "--force", description = "Make an unblessed version champion anyway (audited as forced).")
                    boolean force,
            @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the alias history.") String reason,
            @Option(names = "--by", paramLabel = "WHO", description = "Who moves the alias (default: $USER).")
                    String by,
            @Option(names = "--json", description = JSON) boolean json) {
        String movedBy = by != null ? by : cli.context.environment().get("USER");
        if (movedBy == null || movedBy.isBlank()) {
            throw new IllegalArgumentException("$USER is not set: say who promotes with --by WHO");
        }
        return answer(
                json,
                registry -> registry.versions().promote(reference, alias, force, movedBy, reason),
                ModelPrinter::printMove);
    }

    @Command(
            name = "history",
            mixinStandardHelpOptions = true,
            description = "Lists every move of a model's alias, newest first: from, to, who, why, forced.")
    int history(
            @Parameters(paramLabel = "NAME", description = "The model.") String name,
            @Option(
                            names = "--alias",
                            defaultValue = ModelVersions.CHAMPION,
                            description = "The alias (default: ${DEFAULT-VALUE}).")
                    String alias,
            @Option(names = "--json", description = JSON) boolean json) {
        return answer(json, registry -> registry.models().aliasHistory(name, alias), ModelPrinter::printHistory);
    }

    /** Asks the registry one question and prints the answer as JSON, or the text view of that JSON. */
    private int answer(boolean json, Function<Registry, Object> query, BiConsumer<JsonNode, PrintStream> text) {
        try (Database database = cli.context.openDatabase()) {
            JsonNode result = Json.tree(query.apply(database.registry()));
            if (json) {
                cli.context.out().println(Json.pretty(result));
            } else {
                text.accept(result, cli.context.out());
            }
            return CaravanCli.EXIT_OK;
        }
    }
}
