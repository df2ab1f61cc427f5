package dev.caravan.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.data.FittedTransform;
import dev.caravan.onnx.OnnxMetadata;
import dev.caravan.onnx.OrtModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * For bench/serve.sh: the ceiling for the server, ONNX Runtime alone in-process, one row (given as JSON) per call
 * on one thread, as a request would, after warm-up. Prints {@code rows_per_second}. Not a test.
 */
public final class OrtRowsBench {
    private OrtRowsBench() {}

    public static void main(String[] args) throws Exception {
        byte[] model = Files.readAllBytes(Path.of(args[0]));
        FittedTransform transform = OnnxMetadata.transform(model);
        Map<String, Object> row = new ObjectMapper().readValue(args[1], new TypeReference<Map<String, Object>>() {});
        double[] encoded = transform.encodeUnnormalized(row);
        try (OrtModel session = OrtModel.load(model, encoded.length, "bench")) {
            double millis = session.medianLatencyMillis(encoded, 1, 2000, 20000);
            System.out.printf(Locale.ROOT, "%.0f%n", 1000 / millis);
        }
    }
}
