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

    static ObjectNode infer(ServedModel model, JsonNode request, int maxRows) {
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
        int rows = rows(input.get("shape"), width, maxRows);
        double[] features = flatten(input.get("data"), Math.multiplyExact(rows, width));
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

    /**
     * The shape's rows: {@code [rows, width]} with whole numbers, rows from 1 to {@code maxRows}; checked before
     * anything is sized by it.
     */
    private static int rows(JsonNode shape, int width, int maxRows) {
        boolean wellFormed = shape != null
                && shape.isArray()
                && shape.size() == 2
                && shape.get(0).canConvertToLong()
                && shape.get(0).isIntegralNumber()
                && shape.get(1).isIntegralNumber()
                && shape.get(1).canConvertToLong()
                && shape.get(1).longValue() == width
                && shape.get(0).longValue() >= 1;
        if (!wellFormed) {
            throw CaravanException.badData("inputs[0].shape must be [rows, " + width + "]");
        }
        long rows = shape.get(0).longValue();
        if (rows > maxRows) {
            throw CaravanException.badData("inputs[0].shape asks for " + rows + " rows; this server takes at most "
                    + maxRows + " per request (--max-rows)");
        }
        return (int) rows;
    }

    /**
     * The data as a flat array of finite numbers, nested arrays allowed, exactly {@code expected} long: counted
     * before it is copied, so the array is sized by what was sent, not by what the shape claims.
     */
    private static double[] flatten(JsonNode data, int expected) {
        if (data == null || !data.isArray()) {
            throw CaravanException.badData("inputs[0].data must be an array of numbers");
        }
        long sent = count(data);
        if (sent != expected) {
            throw CaravanException.badData("inputs[0].data holds " + sent + " numbers, the shape needs " + expected);
        }
        double[] values = new double[expected];
        collect(data, values, new int[] {0});
        return values;
    }

    private static long count(JsonNode node) {
        long count = 0;
        for (JsonNode item : node) {
            count += item.isArray() ? count(item) : 1;
        }
        return count;
    }

    private static void collect(JsonNode node, double[] values, int[] count) {
        for (JsonNode item : node) {
            if (item.isArray()) {
                collect(item, values, count);
            } else if (item.isNumber() && Double.isFinite(item.doubleValue())) {
                values[count[0]++] = item.doubleValue();
            } else {
                throw CaravanException.badData("inputs[0].data holds " + item + ", not a finite number");
            }
        }
    }
}
