package dev.caravan.cli;

import dev.caravan.data.CaravanException;
import dev.caravan.data.Names;
import dev.caravan.pipeline.PipelineRunner;
import dev.caravan.pipeline.RunReport;
import dev.caravan.registry.Database;
import dev.caravan.registry.Registry;
import dev.caravan.spec.PipelineSpec;
import dev.caravan.spec.SpecLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code caravan run}: runs a pipeline and prints the recorded run. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a pipeline on a CSV file and records the run.",
            "With no arguments, runs the bundled example (pipelines/example.yaml)."
        })
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    private CaravanCli cli;

    @Option(names = "--data", paramLabel = "FILE", description = "The CSV file (overrides data.path).")
    private Path data;

    @Option(names = "--target", paramLabel = "COL", description = "The column to predict (overrides target).")
    private String target;

    @Option(
            names = "--task",
            paramLabel = "TASK",
            description = "regression or classification (default: inferred from the target's type).")
    private PipelineSpec.Task task;

    @Option(names = "--pipeline", paramLabel = "FILE.yaml", description = "A pipeline spec holding every setting.")
    private Path pipeline;

    @Option(names = "--name", description = "The pipeline's name in the run store (overrides name).")
    private String name;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "The seed of the split and of training (overrides split.seed and training.seed).")
    private Long seed;

    @Option(names = "--json", description = "Print the run as one JSON object on stdout.")
    private boolean json;

    @Option(
            names = "--no-cache",
            description = "Run every stage, even when an identical earlier stage run could" + " be reused.")
    private boolean noCache;

    @Override
    public Integer call() {
        PipelineSpec spec = spec();
        return execute(cli.context, json, runner -> runner.run(spec, "cli", !noCache));
    }

    /** Runs (or resumes) with a fresh runner, prints the recorded run, and returns the exit code. */
    static int execute(CliContext context, boolean json, Function<PipelineRunner, PipelineRunner.RunResult> work) {
        try (Database database = context.openDatabase()) {
            Registry registry = database.registry();
            PipelineRunner.RunResult result;
            try (PipelineRunner runner =
                    PipelineRunner.start(registry, context.home().resolve("runs"), context.heartbeatTimeout())) {
                result = work.apply(runner);
            }
            RunReport report =
                    RunReport.of(registry.runQueries().detail(result.runId()).orElseThrow());
            RunPrinter.print(report, json, context.out());
            if (result.succeeded()) {
                return CaravanCli.EXIT_OK;
            }
            context.err().println("error: " + result.failure());
            return result.failureKind().exitCode();
        }
    }

    /** The spec file (or the bundled example when nothing is given), with the flags laid over it. */
    private PipelineSpec spec() {
        PipelineSpec spec;
        if (pipeline != null) {
            spec = SpecLoader.load(pipeline);
        } else if (data == null && target == null) {
            spec = SpecLoader.load(cli.context.installDir().resolve("pipelines/example.yaml"));
        } else {
            spec = new PipelineSpec();
            if (data != null) {
                spec.name = Names.from(data.getFileName().toString().replaceFirst("\\.[^.]*$", ""));
            }
        }
        if (data != null) {
            spec.data.path = data.toAbsolutePath().toString();
        }
        if (target != null) {
            spec.target = target;
        }
        if (task != null) {
            spec.task = task;
        }
        if (name != null) {
            spec.name = name;
        }
        if (seed != null) {
            spec.split.seed = seed;
            spec.training.seed = seed;
        }
        SpecLoader.checkNames(spec, "");
        if (spec.data.path == null || spec.target == null) {
            throw CaravanException.badSetting(
                    "give both --data FILE and --target COL, or a --pipeline spec that" + " names them");
        }
        return spec;
    }
}
