package dev.caravan.cli;

import dev.caravan.data.CaravanException;
import dev.caravan.data.CaravanException.Kind;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code caravan} command. */
@Command(
        name = "caravan",
        mixinStandardHelpOptions = true,
        versionProvider = CaravanCli.Version.class,
        description = {
            "Runs ML pipelines from a CSV file to a deployed model, records every run in PostgreSQL, serves models and"
                    + " answers registry queries."
        },
        subcommands = {
            RunCommand.class,
            ResumeCommand.class,
            RunsCommand.class,
            ModelsCommand.class,
            ServeCommand.class,
            ServerCommand.class
        })
public final class CaravanCli implements Runnable {
    static final int EXIT_OK = 0;

    final CliContext context;

    CaravanCli(CliContext context) {
        this.context = context;
    }

    public static void main(String[] args) {
        System.exit(execute(CliContext.fromSystem(), args));
    }

    /**
     * Runs a command line; returns the exit code: 0, 1 when a run or the work failed, 2 when the command line or
     * its settings must change. Only a fault prints its stack trace.
     */
    public static int execute(CliContext context, String... args) {
        CommandLine commandLine = new CommandLine(new CaravanCli(context));
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(context.out(), StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new OutputStreamWriter(context.err(), StandardCharsets.UTF_8), true));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            Kind kind = CaravanException.kindOf(exception);
            context.err().println("error: " + exception.getMessage());
            if (kind == Kind.FAULT) {
                exception.printStackTrace(context.err());
            }
            return kind.exitCode();
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
