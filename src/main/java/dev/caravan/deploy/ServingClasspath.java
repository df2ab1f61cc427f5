package dev.caravan.deploy;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What the model server needs at run time and nothing more: Caravan's {@link #PACKAGES} and the jars of
 * {@link #LIBRARIES}. No DJL, Flyway, Camel, registry or training code goes into the image; an architecture test
 * checks that the classes of these packages use nothing else.
 */
public final class ServingClasspath {
    /** The packages whose classes the image ships, whole. */
    public static final List<String> PACKAGES = List.of("dev.caravan.serve", "dev.caravan.onnx", "dev.caravan.data");

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
            new Library("slf4j-simple-", List.of("org.slf4j.simple")));

    private static final List<String> CLASS_PREFIXES =
            PACKAGES.stream().map(name -> name.replace('.', '/') + "/").toList();

    private ServingClasspath() {}

    /** The jars to ship, from this JVM's class path or the {@code lib/} folder beside the Caravan jar. */
    static List<Path> jars() {
        List<Path> candidates = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            candidates.add(Path.of(entry));
        }
        Path lib = caravanLocation().getParent().resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> files = Files.list(lib)) {
                files.forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<Path> jars = new ArrayList<>();
        for (Path candidate : candidates) {
            String name = candidate.getFileName().toString();
            if (name.endsWith(".jar")
                    && LIBRARIES.stream().anyMatch(library -> name.startsWith(library.jarPrefix()))
                    && jars.stream()
                            .noneMatch(jar -> jar.getFileName().toString().equals(name))) {
                jars.add(candidate);
            }
        }
        return jars;
    }

    /** Copies the serving classes (from the classes folder or the Caravan jar) into {@code target}. */
    static void copyClasses(Path target) {
        Path location = caravanLocation();
        try {
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.walk(location)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        String relative = location.relativize(file).toString().replace('\\', '/');
                        if (Files.isRegularFile(file) && serving(relative)) {
                            copy(Files.newInputStream(file), target.resolve(relative));
                        }
                    }
                }
                return;
            }
            try (ZipInputStream jar = new ZipInputStream(Files.newInputStream(location))) {
                for (ZipEntry entry = jar.getNextEntry(); entry != null; entry = jar.getNextEntry()) {
                    if (!entry.isDirectory() && serving(entry.getName())) {
                        Path file = target.resolve(entry.getName());
                        Files.createDirectories(file.getParent());
                        Files.write(file, jar.readAllBytes());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot collect the serving classes from " + location, e);
        }
    }

    private static boolean serving(String path) {
        return (path.endsWith(".class") && CLASS_PREFIXES.stream().anyMatch(path::startsWith))
                || path.equals("simplelogger.properties");
    }

    private static void copy(InputStream in, Path file) throws IOException {
        try (in) {
            Files.createDirectories(file.getParent());
            Files.copy(in, file);
        }
    }

    /** The classes folder or jar this class was loaded from. */
    private static Path caravanLocation() {
        try {
            return Path.of(ServingClasspath.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate Caravan's classes", e);
        }
    }
}
