package dev.caravan.cli;

import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code caravan resume RUN_ID}: continues a failed run from its first stage that did not succeed. */
@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        description = {
            "Continues a FAILED run (also one abandoned by a process that died) from its first stage that"
                    + " did not succeed.",
            "The finished stages' checkpoints are reused once their sha256 matches what"
                    + " was recorded; a stage whose checkpoint is missing or altered runs again, with every stage after"
                    + " it."
        })
final class ResumeCommand implements Callable<Integer> {
    @ParentCommand
    private CaravanCli cli;

    @Parameters(paramLabel = "RUN_ID", description = "The run's full id (see caravan runs list).")
    private String runId;

    @Option(names = "--json", description = "Print the run as one JSON object on stdout.")
    private boolean json;

    @Option(
            names = "--no-cache",
            description = "Do not reuse other runs' identical stages for the stages that run" + " again.")
    private boolean noCache;

    @Override
    public Integer call() {
        UUID id;
        try {
            id = UUID.fromString(runId.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + runId + "' is not a full run id (see caravan runs list)", e);
        }
        return RunCommand.execute(cli.context, json, runner -> runner.resume(id, !noCache));
    }
}
