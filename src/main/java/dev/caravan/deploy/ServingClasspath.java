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
 * The classes and jars of a program to ship in an image: Caravan's classes in {@code packages} (from the classes
 * folder or the Caravan jar) and the jars whose names start with one of {@code jarPrefixes} (from the class path
 * or the {@code lib/} folder beside the Caravan jar).
 */
public record ServingClasspath(List<String> packages, List<String> jarPrefixes) {
    public ServingClasspath {
        packages = List.copyOf(packages);
        jarPrefixes = List.copyOf(jarPrefixes);
    }

    /** The jars to ship, from this JVM's class path or the {@code lib/} folder beside the Caravan jar. */
    List<Path> jars() {
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
                    && jarPrefixes.stream().anyMatch(name::startsWith)
                    && jars.stream()
                            .noneMatch(jar -> jar.getFileName().toString().equals(name))) {
                jars.add(candidate);
            }
        }
        return jars;
    }

    /** Copies the serving classes (from the classes folder or the Caravan jar) into {@code target}. */
    void copyClasses(Path target) {
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

    private boolean serving(String path) {
        return (path.endsWith(".class")
                        && packages.stream().anyMatch(name -> path.startsWith(name.replace('.', '/') + "/")))
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
