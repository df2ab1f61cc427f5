package dev.caravan.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** Builds an ONNX graph node by node (tribuo-util-onnx's protobuf classes), and wraps it in a model. */
final class OnnxGraph {
    static final int OPSET = 13;
    static final int IR_VERSION = 7;

    private final GraphProto.Builder graph;
    private int counter;

    OnnxGraph(String name) {
        graph = GraphProto.newBuilder().setName(name);
    }

    /** A double tensor input of shape {@code [batch, width]}. */
    void input(String name, int width) {
        graph.addInput(matrix(name, width, TensorProto.DataType.DOUBLE));
    }

    /** A float tensor output of shape {@code [batch, width]}. */
    void output(String name, int width) {
        graph.addOutput(matrix(name, width, TensorProto.DataType.FLOAT));
    }

    private static ValueInfoProto matrix(String name, int width, TensorProto.DataType elementType) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                .build();
        TypeProto type = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(elementType.getNumber())
                        .setShape(shape))
                .build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    String floats(String name, float[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return initializer(name, TensorProto.DataType.FLOAT, bytes.array(), dims);
    }

    String doubles(String name, double[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asDoubleBuffer().put(values);
        return initializer(name, TensorProto.DataType.DOUBLE, bytes.array(), dims);
    }

    /** A scalar float constant under a fresh name. */
    String scalar(float value) {
        return floats("constant_" + counter++, new float[] {value});
    }

    String int8s(String name, byte[] values, long... dims) {
        return initializer(name, TensorProto.DataType.INT8, values, dims);
    }

    String uint8s(String name, byte[] values, long... dims) {
        return initializer(name, TensorProto.DataType.UINT8, values, dims);
    }

    String int32s(String name, int[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(values);
        return initializer(name, TensorProto.DataType.INT32, bytes.array(), dims);
    }

    private String initializer(String name, TensorProto.DataType type, byte[] raw, long... dims) {
        TensorProto.Builder tensor = TensorProto.newBuilder()
                .setName(name)
                .setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(raw));
        Arrays.stream(dims).forEach(tensor::addDims);
        graph.addInitializer(tensor);
        return name;
    }

    /** Adds a node and returns the name of its (single) output. */
    String node(OnnxOp op, String... inputs) {
        return node(op, Map.of(), inputs);
    }

    /** A node with integer attributes, such as Gemm's {@code transB} or Softmax's {@code axis}. */
    String node(OnnxOp op, Map<String, Long> attributes, String... inputs) {
        String output = op.opType.toLowerCase(Locale.ROOT) + "_" + counter++;
        return nodeNamed(op, attributes, output, inputs);
    }

    /** A node whose output has the given name (a graph output). */
    String nodeNamed(OnnxOp op, Map<String, Long> attributes, String output, String... inputs) {
        NodeProto.Builder node = NodeProto.newBuilder()
                .setOpType(op.opType)
                .setName(output + "_node")
                .addAllInput(Arrays.asList(inputs))
                .addOutput(output);
        attributes.forEach((key, value) -> node.addAttribute(AttributeProto.newBuilder()
                .setName(key)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)));
        graph.addNode(node);
        return output;
    }

    byte[] toModel(Map<String, String> metadata) {
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("caravan")
                .setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata.forEach((key, value) -> model.addMetadataProps(
                StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return model.build().toByteArray();
    }
}
