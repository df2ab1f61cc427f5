package dev.caravan.onnx;

/** The model cannot be exported, quantized or run in ONNX Runtime; the message says why, with the numbers. */
public class ExportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ExportException(String message) {
        super(message);
    }

    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
