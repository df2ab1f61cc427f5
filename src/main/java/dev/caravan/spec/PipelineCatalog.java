package dev.caravan.spec;

import dev.caravan.data.CaravanException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.quartz.CronExpression;

/**
 * The pipelines {@code caravan server} knows, by name: spec files given one by one or every {@code *.yaml} of a
 * folder. Each spec is validated when loaded, so a bad one stops the server at start with the file's name.
 */
public final class PipelineCatalog {
    /** A loaded, validated spec and the file it came from. */
    public record Entry(Path file, PipelineSpec spec) {
        public String name() {
            return spec.name;
        }
    }

    private final Map<String, Entry> byName;

    private PipelineCatalog(Map<String, Entry> byName) {
        this.byName = byName;
    }

    /** Loads the files and the {@code *.yaml} files of {@code directory} (null for none). */
    public static PipelineCatalog load(List<Path> files, Path directory) {
        List<Path> all = new ArrayList<>(files);
        if (directory != null) {
            all.addAll(specFiles(directory));
        }
        if (all.isEmpty()) {
            throw CaravanException.badSetting("no pipelines: give --pipeline FILE.yaml or --pipelines DIR"
                    + (directory == null ? "" : " (" + directory + " holds no *.yaml file)"));
        }
        Map<String, Entry> byName = new TreeMap<>();
        for (Path file : all) {
            Entry entry = new Entry(file, load(file));
            Entry clash = byName.put(entry.name(), entry);
            if (clash != null) {
                throw CaravanException.badSetting("pipeline name '" + entry.name() + "' is used by both " + clash.file()
                        + " and " + file + "; give each pipeline its own name");
            }
        }
        return new PipelineCatalog(byName);
    }

    private static List<Path> specFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw CaravanException.badSetting("--pipelines " + directory + " is not a folder");
        }
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.filter(file -> file.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(file))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the pipeline specs in " + directory, e);
        }
    }

    private static PipelineSpec load(Path file) {
        PipelineSpec spec = SpecLoader.load(file); // its errors name the file already
        try {
            new StageFactory(spec).validate();
            validateSchedule(spec.schedule);
        } catch (CaravanException e) {
            throw new CaravanException(e.kind(), file + ": " + e.getMessage(), e);
        }
        return spec;
    }

    private static void validateSchedule(String schedule) {
        if (schedule == null) {
            return;
        }
        try {
            CronExpression.validateExpression(schedule);
        } catch (ParseException e) {
            throw CaravanException.badSetting(
                    "schedule '" + schedule + "' is not a Quartz cron expression (seconds minutes"
                            + " hours day-of-month month day-of-week, e.g. '0 0 3 * * ?' for 03:00 daily): "
                            + e.getMessage(),
                    e);
        }
    }

    public Optional<Entry> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every pipeline, by name. */
    public Collection<Entry> all() {
        return byName.values();
    }

    /** The pipelines that have a schedule. */
    public List<Entry> scheduled() {
        return byName.values().stream()
                .filter(entry -> entry.spec().schedule != null)
                .toList();
    }
}
