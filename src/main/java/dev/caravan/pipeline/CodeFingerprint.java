package dev.caravan.pipeline;

import dev.caravan.data.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.stream.Stream;

/**
 * The code that computes results: the sha256 of Caravan's jar, or of every class file when it runs from a build
 * folder. Cache keys and checkpoints carry it, so that rebuilt code never reuses results or objects of the old.
 */
final class CodeFingerprint {
    static final String VALUE = compute();

    private CodeFingerprint() {}

    private static String compute() {
        try {
            Path location = Path.of(CodeFingerprint.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return Files.isRegularFile(location) ? Sha256.hex(location) : classesFingerprint(location);
        } catch (URISyntaxException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String classesFingerprint(Path folder) {
        MessageDigest digest = Sha256.digest();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                digest.update(folder.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Sha256.hex(digest);
    }
}
