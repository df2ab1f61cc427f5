package dev.caravan.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.MlpWeights;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A trained MLP (architecture and parameters) that can predict on CPU, without its trainer. */
public record TrainedModel(MlpArchitecture architecture, byte[] parameters) implements Serializable {
    /** Raw outputs: scaled regression predictions, or logits, row-major. */
    public float[] outputs(FeatureMatrix matrix) {
        try (Model model = load()) {
            return BlockRunner.outputs(model.getBlock(), model.getNDManager(), matrix, architecture.outputs());
        }
    }

    /** The dense layers' weights and biases, in order, for export. */
    public MlpWeights weights() {
        try (Model model = load()) {
            List<MlpWeights.Dense> layers = new ArrayList<>();
            float[] weight = null;
            for (Pair<String, Parameter> parameter : model.getBlock().getParameters()) {
                NDArray array = parameter.getValue().getArray();
                if (parameter.getValue().getType() == Parameter.Type.WEIGHT) {
                    weight = array.toFloatArray();
                } else {
                    Shape shape = array.getShape();
                    int outputs = (int) shape.get(0);
                    layers.add(new MlpWeights.Dense(weight.length / outputs, outputs, weight, array.toFloatArray()));
                }
            }
            return new MlpWeights(architecture.activation().id(), layers);
        }
    }

    private Model load() {
        Engines.pytorch();
        Model model = Model.newInstance("caravan-mlp", Device.cpu(), "PyTorch");
        try {
            Block block = architecture.newInferenceBlock();
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, architecture.inputs()));
            block.loadParameters(model.getNDManager(), new DataInputStream(new ByteArrayInputStream(parameters)));
            return model;
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException("cannot read model parameters", e);
        } catch (MalformedModelException e) {
            model.close();
            throw new IllegalStateException("model parameters do not fit the architecture " + architecture, e);
        }
    }
}
