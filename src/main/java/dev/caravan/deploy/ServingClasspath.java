package dev.caravan.deploy;

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
 * What the model server needs at run time and nothing more: Caravan's serve, onnx and data classes (plus the
 * registry's records), and the jars of ONNX Runtime, Vert.x/Netty, Jackson, protobuf and SLF4J. No DJL, Flyway,
 * Camel or training code goes into the image.
 */
final class ServingClasspath {
    private static final List<String> CLASS_PREFIXES = List.of("dev/caravan/serve/", "dev/caravan/onnx/",
            "dev/caravan/data/", "dev/caravan/registry/Records");
    private static final List<String> JAR_PREFIXES = List.of("onnxruntime-", "vertx-core-", "netty-", "jackson-core-",
            "jackson-databind-", "jackson-annotations-", "tribuo-util-onnx-", "protobuf-java-", "slf4j-api-",
            "slf4j-simple-");

    private ServingClasspath() {
    }

    /** The jars to ship, from this JVM's class path or the {@code lib/} folder beside the Caravan jar. */
    static List<Path> jars() {
        List<Path> candidates = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
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
            if (name.endsWith(".jar") && JAR_PREFIXES.stream().anyMatch(name::startsWith)
                    && jars.stream().noneMatch(jar -> jar.getFileName().toString().equals(name))) {
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
        return path.endsWith(".class") && CLASS_PREFIXES.stream().anyMatch(path::startsWith)
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
            return Path.of(ServingClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate Caravan's classes", e);
        }
    }
}
