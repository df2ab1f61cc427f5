package dev.caravan.cli;

import dev.caravan.pipeline.ConfigException;
import dev.caravan.pipeline.PipelineBusyException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code caravan} command. */
@Command(name = "caravan", mixinStandardHelpOptions = true, versionProvider = CaravanCli.Version.class,
        description = "Runs ML pipelines (ingest, clean, split, transform) and records every run in PostgreSQL.",
        subcommands = {RunCommand.class, ResumeCommand.class, RunsCommand.class, ModelsCommand.class,
            ServeCommand.class, ServerCommand.class})
public final class CaravanCli implements Runnable {
    static final int EXIT_OK = 0;
    static final int EXIT_RUN_FAILED = 1;
    static final int EXIT_USAGE = 2;

    final CliContext context;

    CaravanCli(CliContext context) {
        this.context = context;
    }

    public static void main(String[] args) {
        System.exit(execute(CliContext.fromSystem(), args));
    }

    /** Runs a command line; returns the exit code. */
    public static int execute(CliContext context, String... args) {
        CommandLine commandLine = new CommandLine(new CaravanCli(context));
        commandLine.setOut(new java.io.PrintWriter(context.out(), true));
        commandLine.setErr(new java.io.PrintWriter(context.err(), true));
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            boolean usage = exception instanceof ConfigException || exception instanceof IllegalArgumentException;
            context.err().println("error: " + exception.getMessage());
            if (!usage && !(exception instanceof PipelineBusyException)) {
                exception.printStackTrace(context.err());
            }
            return usage ? EXIT_USAGE : EXIT_RUN_FAILED;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(context.out());
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = CaravanCli.class.getPackage().getImplementationVersion();
            return new String[] {"caravan " + (version == null ? "(development build)" : version)};
        }
    }
}
