package dev.caravan.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.caravan.data.CaravanException;
import dev.caravan.data.FittedTransform;
import dev.caravan.data.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads what an exported model says about itself: its metadata_props and the transform among them. */
public final class OnnxMetadata {
    private OnnxMetadata() {}

    public static Map<String, String> read(byte[] model) {
        try {
            Map<String, String> metadata = new LinkedHashMap<>();
            for (StringStringEntryProto entry : ModelProto.parseFrom(model).getMetadataPropsList()) {
                metadata.put(entry.getKey(), entry.getValue());
            }
            return metadata;
        } catch (InvalidProtocolBufferException e) {
            throw CaravanException.badData("not an ONNX model: " + e.getMessage(), e);
        }
    }

    /** The fitted transform the model was exported with: enough to encode raw rows for it. */
    public static FittedTransform transform(byte[] model) {
        String json = read(model).get(OnnxExporter.TRANSFORM_KEY);
        if (json == null) {
            throw CaravanException.badData("the model has no " + OnnxExporter.TRANSFORM_KEY + " metadata");
        }
        try {
            return Json.MAPPER.readValue(json, FittedTransform.class);
        } catch (IOException e) {
            throw CaravanException.badData("the model's transform metadata is unreadable: " + e.getMessage(), e);
        }
    }
}
