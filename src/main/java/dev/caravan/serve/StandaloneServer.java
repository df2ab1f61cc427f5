package dev.caravan.serve;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The entry point of a deployed image: serves one ONNX file, with no database. The file's own metadata names
 * the model and version. Usage: {@code StandaloneServer MODEL.onnx PORT}.
 */
public final class StandaloneServer {
    private StandaloneServer() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: StandaloneServer MODEL.onnx PORT");
            System.exit(2);
        }
        ServedModel model = ServedModel.loadFile(Path.of(args[0]));
        ModelServer server =
                ModelServer.start(model.name(), Integer.parseInt(args[1]), ModelServer.Limits.DEFAULT, 2, 32, 200);
        server.swap(model);
        System.err.println("serving " + model.name() + " version " + model.version() + " on port " + server.port());
        new CountDownLatch(1).await();
    }
}
