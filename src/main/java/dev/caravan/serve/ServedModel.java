package dev.caravan.serve;

import dev.caravan.data.CaravanException;
import dev.caravan.data.DeployableModel;
import dev.caravan.data.FittedTransform;
import dev.caravan.data.Sha256;
import dev.caravan.onnx.OnnxMetadata;
import dev.caravan.onnx.OrtModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** One loaded model version: its ONNX Runtime session and the transform its metadata carries. */
public final class ServedModel implements AutoCloseable {
    private final DeployableModel source;
    private final FittedTransform transform;
    private final OrtModel session;

    /** The server's own hold (1) plus one per request running on the session; 0 means closed. */
    private final AtomicInteger holds = new AtomicInteger(1);

    private ServedModel(DeployableModel source, FittedTransform transform, OrtModel session) {
        this.source = source;
        this.transform = transform;
        this.session = session;
    }

    /** Loads the file after checking it is the one the registry recorded (sha256). */
    public static ServedModel load(DeployableModel source) {
        byte[] bytes = read(Path.of(source.path()));
        String actual = Sha256.hex(bytes);
        if (!actual.equals(source.sha256())) {
            throw CaravanException.badData("model file " + source.path() + " has sha256 " + actual
                    + ", but the registry recorded " + source.sha256() + "; refusing to serve it");
        }
        return of(source, bytes);
    }

    /** Loads a file with no registry behind it (a deployed image): its own metadata names model and version. */
    public static ServedModel loadFile(Path file) {
        byte[] bytes = read(file);
        Map<String, String> metadata = OnnxMetadata.read(bytes);
        DeployableModel source = new DeployableModel(
                metadata.getOrDefault("caravan.model.name", "model"),
                Integer.parseInt(metadata.getOrDefault("caravan.model.version", "1")),
                file.toString(),
                Sha256.hex(bytes),
                metadata.getOrDefault("caravan.precision", "fp32"));
        return of(source, bytes);
    }

    private static ServedModel of(DeployableModel source, byte[] bytes) {
        FittedTransform transform = OnnxMetadata.transform(bytes);
        return new ServedModel(
                source,
                transform,
                OrtModel.load(bytes, transform.featureCount(), source.name() + ":" + source.version()));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return source.name();
    }

    public int version() {
        return source.version();
    }

    public String precision() {
        return source.precision();
    }

    public FittedTransform transform() {
        return transform;
    }

    /** The labels in output order, or an empty list for regression. */
    public List<String> labels() {
        return transform.isClassification() ? transform.target().labels() : List.of();
    }

    public int outputs() {
        return transform.isClassification() ? labels().size() : 1;
    }

    /** Outputs for {@code count} encoded rows: probabilities, or predictions in the target's units. */
    public float[] predict(double[] features, int count) {
        return session.run(features, count);
    }

    /**
     * Takes a hold on the session for one request; false once the model is retired and every hold released (the
     * caller then takes the model that replaced it). Each successful acquire needs one {@link #release}.
     */
    boolean acquire() {
        while (true) {
            int now = holds.get();
            if (now == 0) {
                return false;
            }
            if (holds.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a hold; the session closes with the last one, so no request ever runs on a closed session. */
    void release() {
        if (holds.decrementAndGet() == 0) {
            session.close();
        }
    }

    /** Retires the model: its own hold goes, and the session closes once the requests still on it are done. */
    @Override
    public void close() {
        release();
    }
}
