package dev.caravan.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.caravan.data.FeatureMatrix;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A trained MLP (architecture and parameters) that can predict on CPU, without its trainer. */
public record TrainedModel(MlpArchitecture architecture, byte[] parameters) {
    /** Raw outputs: scaled regression predictions, or logits, row-major. */
    public float[] outputs(FeatureMatrix matrix) {
        Engines.pytorch();
        try (Model model = Model.newInstance("caravan-mlp", Device.cpu(), "PyTorch")) {
            Block block = architecture.newBlock();
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, architecture.inputs()));
            block.loadParameters(model.getNDManager(), new DataInputStream(new ByteArrayInputStream(parameters)));
            return BlockRunner.outputs(block, model.getNDManager(), matrix, architecture.outputs());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model parameters", e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("model parameters do not fit the architecture " + architecture, e);
        }
    }
}
