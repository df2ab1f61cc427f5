package dev.caravan.onnx;

import dev.caravan.data.MlpWeights;
import java.util.Map;

/** Writes one dense layer as a Gemm: plain float, or static QDQ INT8. */
final class DenseLayers {
    private static final Map<String, Long> TRANS_B = Map.of("transB", 1L);
    private static final Map<String, Long> PER_CHANNEL = Map.of("axis", 0L);

    private DenseLayers() {}

    static String fp32(OnnxGraph graph, String prefix, MlpWeights.Dense layer, String input) {
        String weight = graph.floats(prefix + "_weight", layer.weight(), layer.outputs(), layer.inputs());
        String bias = graph.floats(prefix + "_bias", layer.bias(), layer.outputs());
        return graph.node(OnnxOp.GEMM, TRANS_B, input, weight, bias);
    }

    /** Weight levels on each side of zero (see {@link #int8}). */
    static final int WEIGHT_LEVELS = 63;

    /**
     * Input: uint8, per tensor, from calibration. Weights: 7 bits of int8 ({@value #WEIGHT_LEVELS} levels each side),
     * symmetric, per output channel: on x86 CPUs without VNNI, ONNX Runtime multiplies uint8 by int8 in pairs summed
     * into int16 (vpmaddubsw), and 2 x 255 x 127 saturates it, while 2 x 255 x 63 does not; a model quantized on one
     * machine is served on others, so every model takes the range that is exact on all of them. Bias: int32 at
     * scale {@code inputScale * weightScale[o]}, so that the integer Gemm needs no rescaling of the bias, and
     * corrected for the weights' rounding: the rounding errors times the calibration mean of the input shift each
     * output on average, and the bias takes that shift back (Nagel et al., 2019).
     */
    static String int8(
            OnnxGraph graph, String prefix, MlpWeights.Dense layer, String input, ActivationQuantization activation) {
        String inputScale = graph.floats(prefix + "_input_scale", new float[] {activation.scale()});
        String inputZero = graph.uint8s(prefix + "_input_zero", new byte[] {(byte) activation.zeroPoint()});
        String quantized = graph.node(OnnxOp.QUANTIZE_LINEAR, input, inputScale, inputZero);
        String dequantized = graph.node(OnnxOp.DEQUANTIZE_LINEAR, quantized, inputScale, inputZero);

        int outputs = layer.outputs();
        int inputs = layer.inputs();
        float[] weightScales = new float[outputs];
        byte[] weights = new byte[outputs * inputs];
        float[] biasScales = new float[outputs];
        int[] biases = new int[outputs];
        for (int o = 0; o < outputs; o++) {
            float largest = 0;
            for (int j = 0; j < inputs; j++) {
                largest = Math.max(largest, Math.abs(layer.weight()[o * inputs + j]));
            }
            weightScales[o] = largest > 0 ? largest / WEIGHT_LEVELS : 1f; // an all-zero row quantizes to zeros
            double shift = 0;
            for (int j = 0; j < inputs; j++) {
                float weight = layer.weight()[o * inputs + j];
                weights[o * inputs + j] =
                        (byte) clamp(Math.round(weight / weightScales[o]), -WEIGHT_LEVELS, WEIGHT_LEVELS);
                shift += ((double) weights[o * inputs + j] * weightScales[o] - weight)
                        * activation.inputMean()[j];
            }
            biasScales[o] = activation.scale() * weightScales[o];
            biases[o] = (int) Math.max(
                    Integer.MIN_VALUE + 1L,
                    Math.min(Integer.MAX_VALUE, Math.round((layer.bias()[o] - shift) / biasScales[o])));
        }
        String weight = graph.node(
                OnnxOp.DEQUANTIZE_LINEAR,
                PER_CHANNEL,
                graph.int8s(prefix + "_weight_q", weights, outputs, inputs),
                graph.floats(prefix + "_weight_scale", weightScales, outputs),
                graph.int8s(prefix + "_weight_zero", new byte[outputs], outputs));
        String bias = graph.node(
                OnnxOp.DEQUANTIZE_LINEAR,
                PER_CHANNEL,
                graph.int32s(prefix + "_bias_q", biases, outputs),
                graph.floats(prefix + "_bias_scale", biasScales, outputs),
                graph.int32s(prefix + "_bias_zero", new int[outputs], outputs));
        return graph.node(OnnxOp.GEMM, TRANS_B, dequantized, weight, bias);
    }

    private static int clamp(long value, int low, int high) {
        return (int) Math.max(low, Math.min(high, value));
    }
}
