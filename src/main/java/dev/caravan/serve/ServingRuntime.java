package dev.caravan.serve;

import dev.caravan.data.Json;
import dev.caravan.onnx.OrtModel;
import java.util.List;

/**
 * What the standalone model server needs at run time and nothing more: its main class, Caravan's {@link #PACKAGES}
 * and the jars of {@link #LIBRARIES}. No DJL, Flyway, Camel, registry or training code goes into a deployed image;
 * an architecture test checks that the classes of these packages use nothing else.
 */
public final class ServingRuntime {
    /** The image's entry point: {@code java -cp ... MAIN_CLASS MODEL_FILE PORT}. */
    public static final String MAIN_CLASS = StandaloneServer.class.getName();

    /** The packages whose classes the image ships, whole. */
    public static final List<String> PACKAGES = List.of(
            ServingRuntime.class.getPackageName(), OrtModel.class.getPackageName(), Json.class.getPackageName());

    /** A library the image ships: the jars whose names start with {@code jarPrefix}, and the packages they hold. */
    public record Library(String jarPrefix, List<String> packages) {}

    public static final List<Library> LIBRARIES = List.of(
            new Library("onnxruntime-", List.of("ai.onnxruntime")),
            new Library("vertx-core-", List.of("io.vertx.core")),
            new Library("netty-", List.of("io.netty")),
            new Library("jackson-core-", List.of("com.fasterxml.jackson.core")),
            new Library("jackson-databind-", List.of("com.fasterxml.jackson.databind")),
            new Library("jackson-annotations-", List.of("com.fasterxml.jackson.annotation")),
            new Library("jackson-datatype-jsr310-", List.of("com.fasterxml.jackson.datatype.jsr310")),
            new Library("tribuo-util-onnx-", List.of("ai.onnx.proto", "org.tribuo.util.onnx")),
            new Library("protobuf-java-", List.of("com.google.protobuf")),
            new Library("slf4j-api-", List.of("org.slf4j")),
            new Library("slf4j-simple-", List.of("org.slf4j.simple")),
            new Library("micrometer-", List.of("io.micrometer")),
            new Library("prometheus-metrics-", List.of("io.prometheus.metrics")),
            new Library("HdrHistogram-", List.of("org.HdrHistogram")));

    private ServingRuntime() {}

    /** The jar name prefixes of {@link #LIBRARIES}. */
    public static List<String> jarPrefixes() {
        return LIBRARIES.stream().map(Library::jarPrefix).toList();
    }
}
