package dev.caravan.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.caravan.data.CaravanException;
import dev.caravan.data.Json;
import dev.caravan.data.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads pipeline specs: YAML files people write, and the JSON a run recorded. Errors name the file, the line and
 * the setting; an unknown key or enum value lists what is allowed. Names are checked here, so that every pipeline
 * and model name can be written as {@code NAME:VERSION} and {@code NAME@ALIAS}.
 */
public final class SpecLoader {
    private static final ObjectMapper YAML =
            Json.configure(YAMLMapper.builder()).build();

    private SpecLoader() {}

    /** Reads a spec file; relative data paths become relative to the file. */
    public static PipelineSpec load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw CaravanException.badSetting("pipeline spec " + file + " does not exist");
        }
        PipelineSpec spec;
        try {
            spec = YAML.readValue(file.toFile(), PipelineSpec.class);
        } catch (JsonProcessingException e) {
            throw CaravanException.badSetting(file + " line " + e.getLocation().getLineNr() + ": " + problem(e), e);
        } catch (IOException e) {
            throw CaravanException.badSetting("cannot read pipeline spec " + file + ": " + e.getMessage(), e);
        }
        if (spec == null) {
            throw CaravanException.badSetting("pipeline spec " + file + " is empty");
        }
        requireTagValues(file, spec);
        checkNames(spec, file + ": ");
        if (spec.data.path != null) {
            spec.data.path = file.toAbsolutePath()
                    .getParent()
                    .resolve(spec.data.path)
                    .normalize()
                    .toString();
        }
        return spec;
    }

    /** The spec a run recorded (its {@code config} column), for resuming it. */
    public static PipelineSpec fromJson(String json) {
        try {
            return Json.MAPPER.readValue(json, PipelineSpec.class);
        } catch (JsonProcessingException e) {
            throw CaravanException.badSetting(
                    "the run's recorded spec cannot be read by this version of Caravan: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Checks the pipeline's name and the model's against {@link Names}; {@code where} prefixes the error (the
     * file, or nothing for a name given by flag).
     */
    public static void checkNames(PipelineSpec spec, String where) {
        checkName(where, "name", spec.name);
        if (spec.model.name != null) {
            checkName(where, "model.name", spec.model.name);
        }
    }

    private static void checkName(String where, String setting, String value) {
        if (!Names.valid(value)) {
            throw CaravanException.badSetting(where + setting + " '" + value + "' " + Names.RULE);
        }
    }

    /** Tags are recorded when the run starts, before validate: a tag without a value fails here. */
    private static void requireTagValues(Path file, PipelineSpec spec) {
        if (spec.tags == null) {
            spec.tags = new LinkedHashMap<>();
        }
        spec.tags.forEach((key, value) -> {
            if (value == null || value.isBlank()) {
                throw CaravanException.badSetting(file + ": tags." + key + " has no value");
            }
        });
    }

    /** What is wrong at the error's location, in the spec's own words. */
    private static String problem(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds().stream()
                    .map(Object::toString)
                    .sorted()
                    .collect(Collectors.joining(", "));
            return "unknown setting '" + settingPath(unknown) + "' (known here: " + known + ")";
        }
        if (e instanceof InvalidFormatException invalid
                && invalid.getTargetType().isEnum()) {
            List<String> allowed = Arrays.stream(invalid.getTargetType().getEnumConstants())
                    .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT))
                    .toList();
            String noun = noun(invalid);
            String path = settingPath(invalid);
            return "unknown " + noun + " '" + invalid.getValue() + "'" + (path.equals(noun) ? "" : " at " + path)
                    + " (expected " + oneOf(allowed) + ")";
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return settingPath(mapping) + ": " + e.getOriginalMessage();
        }
        return e.getOriginalMessage();
    }

    private static String settingPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(reference -> reference.getFieldName() != null
                        ? reference.getFieldName()
                        : String.valueOf(reference.getIndex()))
                .collect(Collectors.joining("."));
    }

    /** The setting's own name: the last key that is a setting, not a key of a map (a column's name). */
    private static String noun(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        for (int i = path.size() - 1; i >= 0; i--) {
            if (!(path.get(i).getFrom() instanceof Map) && path.get(i).getFieldName() != null) {
                return path.get(i).getFieldName();
            }
        }
        return "value";
    }

    private static String oneOf(List<String> names) {
        return names.size() == 1
                ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
