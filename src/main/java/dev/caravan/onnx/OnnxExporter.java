package dev.caravan.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.caravan.data.CaravanException;
import dev.caravan.data.FittedTransform;
import dev.caravan.data.Json;
import dev.caravan.data.MlpWeights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes an MLP, or an ensemble of MLPs as parallel branches of one graph, as an ONNX model whose input is the
 * encoded, unnormalized feature vector (doubles). The graph normalizes ({@code Sub}, {@code Mul}, in double, then
 * {@code Cast} to float), runs each member's dense layers ({@code Gemm}), and ends in a {@code Softmax}
 * (classification; an ensemble averages the members' probabilities with {@code Mean}) or the members' mean and the
 * target's inverse scaling (regression). {@code metadata_props} carry the whole fitted transform (column order,
 * types, vocabularies, date parts), the labels, and the provenance, so the file alone serves raw rows.
 *
 * <p>The INT8 variant is static QDQ: every quantized Gemm's input passes a uint8 QuantizeLinear/DequantizeLinear
 * pair (per tensor, from calibration), its weights are int8 per output channel (symmetric) and its bias int32 at
 * the product of the two scales, which ONNX Runtime fuses into QGemm. Layers named as FP32 stay float.
 */
public final class OnnxExporter {
    public static final String INPUT = "features";
    public static final String REGRESSION_OUTPUT = "prediction";
    public static final String CLASSIFICATION_OUTPUT = "probabilities";
    public static final String TRANSFORM_KEY = "caravan.transform";
    public static final String LABELS_KEY = "caravan.labels";

    private OnnxExporter() {}

    public static byte[] exportFp32(
            List<MlpWeights> members, FittedTransform transform, Map<String, String> provenance) {
        return build(members, transform, null, Set.of(), provenance, "fp32");
    }

    /**
     * The INT8 graph: the same as FP32 with each dense layer quantized (QDQ) but those at {@code fp32Layers}.
     *
     * @param activations per member, the calibrated quantization of each dense layer's input, in layer order
     * @param fp32Layers the layers that stay in float
     */
    public static byte[] exportInt8(
            List<MlpWeights> members,
            FittedTransform transform,
            List<List<ActivationQuantization>> activations,
            Set<Int8Quantizer.LayerId> fp32Layers,
            Map<String, String> provenance) {
        for (int m = 0; m < members.size(); m++) {
            if (activations.get(m).size() != members.get(m).layers().size()) {
                throw new IllegalArgumentException(activations.get(m).size() + " calibrated activations for "
                        + members.get(m).layers().size() + " layers");
            }
        }
        return build(members, transform, activations, fp32Layers, provenance, "int8");
    }

    private static byte[] build(
            List<MlpWeights> members,
            FittedTransform transform,
            List<List<ActivationQuantization>> int8,
            Set<Int8Quantizer.LayerId> fp32Layers,
            Map<String, String> provenance,
            String precision) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one member");
        }
        for (MlpWeights weights : members) {
            checkFinite(weights);
            if (weights.inputs() != transform.featureCount()) {
                throw CaravanException.badData("the model takes " + weights.inputs() + " features, the transform"
                        + " makes " + transform.featureCount());
            }
        }
        OnnxGraph graph = new OnnxGraph("caravan_mlp_" + precision);
        int width = transform.featureCount();
        graph.input(INPUT, width);
        double[] centers = new double[width];
        double[] scales = new double[width];
        for (int j = 0; j < width; j++) {
            centers[j] = transform.features().get(j).center();
            scales[j] = transform.features().get(j).scale();
        }
        // Normalized in double, as training did: raw values such as epoch milliseconds lose their low digits in
        // float before the centre is subtracted.
        String normalized = graph.node(
                OnnxOp.MUL,
                graph.node(OnnxOp.SUB, INPUT, graph.doubles("feature_center", centers, width)),
                graph.doubles("feature_scale", scales, width));
        String x = graph.node(OnnxOp.CAST, Map.of("to", (long) DataType.FLOAT.getNumber()), normalized);
        List<String> branches = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
            String prefix = members.size() == 1 ? "" : "member" + m + "_";
            branches.add(branch(graph, prefix, m, members.get(m), x, int8 == null ? null : int8.get(m), fp32Layers));
        }
        head(graph, transform, branches);
        Map<String, String> metadata = metadata(transform, provenance, precision);
        metadata.put("caravan.members", String.valueOf(members.size()));
        return graph.toModel(metadata);
    }

    /** One member's dense layers and activations, from the normalized input to its raw outputs. */
    private static String branch(
            OnnxGraph graph,
            String prefix,
            int member,
            MlpWeights weights,
            String x,
            List<ActivationQuantization> int8,
            Set<Int8Quantizer.LayerId> fp32Layers) {
        List<MlpWeights.Dense> layers = weights.layers();
        for (int i = 0; i < layers.size(); i++) {
            String name = prefix + "dense" + i;
            String z = int8 == null || fp32Layers.contains(new Int8Quantizer.LayerId(member, i))
                    ? DenseLayers.fp32(graph, name, layers.get(i), x)
                    : DenseLayers.int8(graph, name, layers.get(i), x, int8.get(i));
            x = i == layers.size() - 1 ? z : activation(graph, weights.activation(), z);
        }
        return x;
    }

    private static String activation(OnnxGraph graph, String activation, String x) {
        return switch (activation) {
            case "relu" -> graph.node(OnnxOp.RELU, x);
            case "tanh" -> graph.node(OnnxOp.TANH, x);
            case "gelu" -> { // exact GELU, as PyTorch computes it: 0.5 x (1 + erf(x / sqrt 2))
                String erf = graph.node(OnnxOp.ERF, graph.node(OnnxOp.DIV, x, graph.scalar((float) Math.sqrt(2))));
                String onePlus = graph.node(OnnxOp.ADD, erf, graph.scalar(1f));
                yield graph.node(OnnxOp.MUL, graph.node(OnnxOp.MUL, x, onePlus), graph.scalar(0.5f));
            }
            default -> throw CaravanException.badData("activation '" + activation + "' has no ONNX export");
        };
    }

    /**
     * Softmax (each member's, then their mean) for classification; the members' mean, unscaled (and through
     * {@code Exp} when the model learnt the target's logarithm), for regression.
     */
    private static void head(OnnxGraph graph, FittedTransform transform, List<String> branches) {
        if (transform.isClassification()) {
            Map<String, Long> lastAxis = Map.of("axis", 1L);
            if (branches.size() == 1) {
                graph.nodeNamed(OnnxOp.SOFTMAX, lastAxis, CLASSIFICATION_OUTPUT, branches.get(0));
            } else {
                String[] probabilities = branches.stream()
                        .map(logits -> graph.node(OnnxOp.SOFTMAX, lastAxis, logits))
                        .toArray(String[]::new);
                graph.nodeNamed(OnnxOp.MEAN, Map.of(), CLASSIFICATION_OUTPUT, probabilities);
            }
            graph.output(CLASSIFICATION_OUTPUT, transform.target().labels().size());
            return;
        }
        String mean = branches.size() == 1 ? branches.get(0) : graph.node(OnnxOp.MEAN, branches.toArray(String[]::new));
        String unscaled = graph.node(
                OnnxOp.DIV, mean, graph.scalar(transform.target().scale().floatValue()));
        String center = graph.scalar(transform.target().center().floatValue());
        if (transform.target().logged()) {
            graph.nodeNamed(OnnxOp.EXP, Map.of(), REGRESSION_OUTPUT, graph.node(OnnxOp.ADD, unscaled, center));
        } else {
            graph.nodeNamed(OnnxOp.ADD, Map.of(), REGRESSION_OUTPUT, unscaled, center);
        }
        graph.output(REGRESSION_OUTPUT, 1);
    }

    private static Map<String, String> metadata(
            FittedTransform transform, Map<String, String> provenance, String precision) {
        Map<String, String> metadata = new LinkedHashMap<>(provenance);
        metadata.put("caravan.precision", precision);
        metadata.put("caravan.task", transform.task());
        metadata.put("caravan.input", INPUT);
        metadata.put("caravan.output", transform.isClassification() ? CLASSIFICATION_OUTPUT : REGRESSION_OUTPUT);
        try {
            metadata.put(TRANSFORM_KEY, Json.MAPPER.writeValueAsString(transform));
            if (transform.isClassification()) {
                metadata.put(
                        LABELS_KEY,
                        Json.MAPPER.writeValueAsString(transform.target().labels()));
            }
        } catch (JsonProcessingException e) {
            throw CaravanException.badData("cannot write the transform into the model's metadata", e);
        }
        return metadata;
    }

    /** NaN or infinite weights make a model that only looks exported: refuse, naming the layer. */
    static void checkFinite(MlpWeights weights) {
        for (int i = 0; i < weights.layers().size(); i++) {
            MlpWeights.Dense layer = weights.layers().get(i);
            checkFinite(layer.weight(), "weights", i);
            checkFinite(layer.bias(), "biases", i);
        }
    }

    private static void checkFinite(float[] values, String what, int layer) {
        for (int k = 0; k < values.length; k++) {
            if (!Float.isFinite(values[k])) {
                throw CaravanException.badData("layer " + (layer + 1) + " " + what + " hold " + values[k] + " at index "
                        + k + "; a model with non-finite weights cannot be exported");
            }
        }
    }
}
