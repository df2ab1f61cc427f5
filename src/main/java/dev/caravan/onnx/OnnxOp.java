package dev.caravan.onnx;

/** The ONNX operators the exported graphs use (opset 13). */
enum OnnxOp {
    ADD("Add"),
    CAST("Cast"),
    SUB("Sub"),
    MUL("Mul"),
    DIV("Div"),
    GEMM("Gemm"),
    RELU("Relu"),
    TANH("Tanh"),
    ERF("Erf"),
    SOFTMAX("Softmax"),
    MEAN("Mean"),
    EXP("Exp"),
    QUANTIZE_LINEAR("QuantizeLinear"),
    DEQUANTIZE_LINEAR("DequantizeLinear");

    final String opType;

    OnnxOp(String opType) {
        this.opType = opType;
    }
}
