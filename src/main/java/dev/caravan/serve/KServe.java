package dev.caravan.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.data.CaravanException;
import dev.caravan.data.Json;
import dev.caravan.onnx.OnnxExporter;

/**
 * The KServe v2 (Open Inference Protocol) model metadata and infer bodies. The input tensor is the model's own:
 * {@code features}, FP64, shape {@code [rows, features]} of encoded, unnormalized values; the output is FP32.
 */
final class KServe {

    private KServe() {}

    static ObjectNode metadata(ServedModel model) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("name", model.name());
        body.putArray("versions").add(String.valueOf(model.version()));
        body.put("platform", "onnxruntime_onnx");
        body.putArray("inputs")
                .add(tensor(OnnxExporter.INPUT, "FP64", model.transform().featureCount()));
        body.putArray("outputs").add(tensor(outputName(model), "FP32", model.outputs()));
        return body;
    }

    private static ObjectNode tensor(String name, String datatype, int width) {
        ObjectNode tensor = Json.MAPPER.createObjectNode().put("name", name).put("datatype", datatype);
        tensor.putArray("shape").add(-1).add(width);
        return tensor;
    }

    private static String outputName(ServedModel model) {
        return model.labels().isEmpty() ? OnnxExporter.REGRESSION_OUTPUT : OnnxExporter.CLASSIFICATION_OUTPUT;
    }

    static ObjectNode infer(ServedModel model, JsonNode request) {
        JsonNode inputs = request.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.size() != 1) {
            throw CaravanException.badData(
                    "'inputs' must be an array holding one tensor named '" + OnnxExporter.INPUT + "'");
        }
        JsonNode input = inputs.get(0);
        int width = model.transform().featureCount();
        if (!OnnxExporter.INPUT.equals(input.path("name").asText())) {
            throw CaravanException.badData("inputs[0].name must be '" + OnnxExporter.INPUT + "'");
        }
        String datatype = input.path("datatype").asText();
        if (!datatype.equals("FP64") && !datatype.equals("FP32")) {
            throw CaravanException.badData("inputs[0].datatype must be FP64 (FP32 is accepted too)");
        }
        JsonNode shape = input.get("shape");
        if (shape == null
                || shape.size() != 2
                || shape.get(1).asInt() != width
                || shape.get(0).asInt() < 1) {
            throw CaravanException.badData("inputs[0].shape must be [rows, " + width + "]");
        }
        int rows = shape.get(0).asInt();
        double[] features = flatten(input.get("data"), rows * width);
        float[] outputs = model.predict(features, rows);
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("model_name", model.name());
        answer.put("model_version", String.valueOf(model.version()));
        ObjectNode output = answer.putArray("outputs").addObject();
        output.put("name", outputName(model)).put("datatype", "FP32");
        output.putArray("shape").add(rows).add(model.outputs());
        ArrayNode data = output.putArray("data");
        for (float value : outputs) {
            data.add(value);
        }
        return answer;
    }

    /** The data as a flat array of finite numbers, nested arrays allowed, exactly {@code expected} long. */
    private static double[] flatten(JsonNode data, int expected) {
        if (data == null || !data.isArray()) {
            throw CaravanException.badData("inputs[0].data must be an array of numbers");
        }
        double[] values = new double[expected];
        int[] count = {0};
        collect(data, values, count);
        if (count[0] != expected) {
            throw CaravanException.badData(
                    "inputs[0].data holds " + count[0] + " numbers, the shape needs " + expected);
        }
        return values;
    }

    private static void collect(JsonNode node, double[] values, int[] count) {
        for (JsonNode item : node) {
            if (item.isArray()) {
                collect(item, values, count);
            } else if (item.isNumber() && Double.isFinite(item.doubleValue())) {
                if (count[0] < values.length) {
                    values[count[0]] = item.doubleValue();
                }
                count[0]++;
            } else {
                throw CaravanException.badData("inputs[0].data holds " + item + ", not a finite number");
            }
        }
    }
}
