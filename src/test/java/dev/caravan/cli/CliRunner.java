package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs the CLI in-process with its own environment and captured output. */
final class CliRunner {
    private final Map<String, String> environment;

    CliRunner(Map<String, String> environment) {
        this.environment = environment;
    }

    record Result(int exitCode, String out, String err) {
        /** Parses stdout as exactly one JSON value; fails if anything else is printed. */
        JsonNode json() {
            try {
                ObjectMapper mapper = new ObjectMapper();
                var parser = mapper.createParser(out);
                JsonNode node = mapper.readTree(parser);
                if (parser.nextToken() != null) {
                    throw new AssertionError("stdout holds more than one JSON value:\n" + out);
                }
                return node;
            } catch (IOException e) {
                throw new AssertionError("stdout is not JSON:\n" + out, e);
            }
        }
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CaravanCli.execute(
                new CliContext(
                        environment,
                        Path.of("").toAbsolutePath(),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8)),
                args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
