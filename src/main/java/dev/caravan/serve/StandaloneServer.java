package dev.caravan.serve;

import dev.caravan.onnx.OnnxMetadata;
import dev.caravan.registry.Records.DeployableModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The entry point of a deployed image: serves one ONNX file, with no database. The file's own metadata names
 * the model and version. Usage: {@code StandaloneServer MODEL.onnx PORT}.
 */
public final class StandaloneServer {
    private StandaloneServer() {
    }

    public static void main(String[] args) throws IOException, InterruptedException, NoSuchAlgorithmException {
        if (args.length != 2) {
            System.err.println("usage: StandaloneServer MODEL.onnx PORT");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        byte[] bytes = Files.readAllBytes(file);
        Map<String, String> metadata = OnnxMetadata.read(bytes);
        DeployableModel model = new DeployableModel(metadata.getOrDefault("caravan.model.name", "model"),
                Integer.parseInt(metadata.getOrDefault("caravan.model.version", "1")), file.toString(),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                metadata.getOrDefault("caravan.precision", "fp32"));
        ModelServer server = ModelServer.start(model.name(), Integer.parseInt(args[1]),
                ModelServer.DEFAULT_MAX_BODY_BYTES, 2, 32, 200);
        server.swap(ServedModel.load(model));
        System.err.println("serving " + model.name() + " version " + model.version() + " on port " + server.port());
        new CountDownLatch(1).await();
    }
}
