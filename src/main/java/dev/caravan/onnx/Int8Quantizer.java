package dev.caravan.onnx;

import dev.caravan.data.FittedTransform;
import dev.caravan.data.MlpWeights;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Builds the INT8 model that keeps its accuracy. It calibrates each dense layer's input, then measures each layer's
 * sensitivity on the calibration rows: how far the outputs move when that layer alone is quantized. With every
 * layer quantized, while the model loses more than the tolerance on the calibration rows (the gate's metric
 * against their targets), the most sensitive layer still quantized goes back to FP32, as ONNX Runtime's quantizer
 * does with excluded nodes. Quantized layers get bias correction (see {@link DenseLayers}).
 */
public final class Int8Quantizer {
    /** A dense layer: the member of the ensemble (0 for a single model) and its position in that member. */
    public record LayerId(int member, int layer) {}

    /**
     * One layer's sensitivity: the RMS change of the outputs, and the relative loss of the metric, on the
     * calibration rows when it alone is quantized; and whether it stayed FP32, with why.
     */
    public record Layer(
            LayerId id, int inputs, int outputs, double outputChange, double loss, boolean fp32, String why) {}

    /** The INT8 model (null when every layer would have to stay FP32), each layer's sensitivity, and a summary. */
    public record Result(byte[] model, List<Layer> layers, String summary) {}

    /** The gate's metric (e.g. rmse, accuracy) of a model's served outputs on the calibration rows. */
    public record Metric(String name, boolean higherIsBetter, ToDoubleFunction<float[]> ofServedOutputs) {}

    /** The calibration rows as the ONNX graph takes them, and the metric that scores outputs on them. */
    public record Calibration(double[] rows, int count, Metric metric) {}

    private final List<MlpWeights> members;
    private final FittedTransform transform;
    private final Calibration calibration;
    private final Map<String, String> provenance;

    public Int8Quantizer(
            List<MlpWeights> members,
            FittedTransform transform,
            Calibration calibration,
            Map<String, String> provenance) {
        this.members = List.copyOf(members);
        this.transform = transform;
        this.calibration = calibration;
        this.provenance = provenance;
    }

    public Result quantize(Calibrator.Method method, double percentile, double tolerance) {
        List<List<ActivationQuantization>> activations = new ArrayList<>();
        List<LayerId> all = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
            activations.add(Calibrator.calibrate(
                    members.get(m), transform, calibration.rows(), calibration.count(), method, percentile));
            for (int i = 0; i < members.get(m).layers().size(); i++) {
                all.add(new LayerId(m, i));
            }
        }
        float[] reference = outputs(OnnxExporter.exportFp32(members, transform, provenance));
        double fp32Metric = metric(reference);
        List<double[]> sensitivities = new ArrayList<>();
        for (LayerId layer : all) {
            Set<LayerId> others = new LinkedHashSet<>(all);
            others.remove(layer);
            float[] quantized = outputs(OnnxExporter.exportInt8(members, transform, activations, others, provenance));
            sensitivities.add(new double[] {rmsChange(quantized, reference), loss(fp32Metric, metric(quantized))});
        }
        List<LayerId> bySensitivity = all.stream()
                .sorted(Comparator.comparingDouble(
                        (LayerId id) -> -sensitivities.get(all.indexOf(id))[0]))
                .toList();
        Set<LayerId> fp32 = new LinkedHashSet<>();
        List<String> whys = new ArrayList<>();
        while (true) {
            byte[] model = fp32.size() == all.size()
                    ? null
                    : OnnxExporter.exportInt8(members, transform, activations, fp32, provenance);
            double loss = model == null ? Double.NaN : loss(fp32Metric, metric(outputs(model)));
            if (model == null || loss <= tolerance) {
                return result(model, all, sensitivities, fp32, whys, loss);
            }
            LayerId costliest = bySensitivity.stream()
                    .filter(id -> !fp32.contains(id))
                    .findFirst()
                    .orElseThrow();
            int quantized = all.size() - fp32.size();
            fp32.add(costliest);
            whys.add(String.format(
                    Locale.ROOT,
                    "with %s quantized the model lost %.2f%% %s on the %d calibration rows (allowed %.2f%%);"
                            + " this is the most sensitive of them",
                    quantized == all.size() ? "every layer" : quantized + " of " + all.size() + " layers",
                    loss * 100,
                    calibration.metric().name(),
                    calibration.count(),
                    tolerance * 100));
        }
    }

    private Result result(
            byte[] model,
            List<LayerId> all,
            List<double[]> sensitivities,
            Set<LayerId> fp32,
            List<String> whys,
            double loss) {
        List<LayerId> kept = new ArrayList<>(fp32);
        List<Layer> layers = new ArrayList<>();
        for (int k = 0; k < all.size(); k++) {
            LayerId id = all.get(k);
            MlpWeights.Dense dense = members.get(id.member()).layers().get(id.layer());
            int place = kept.indexOf(id);
            layers.add(new Layer(
                    id,
                    dense.inputs(),
                    dense.outputs(),
                    sensitivities.get(k)[0],
                    sensitivities.get(k)[1],
                    place >= 0,
                    place >= 0 ? whys.get(place) : null));
        }
        String summary;
        if (model == null) {
            summary = "every layer had to stay FP32: " + whys.get(whys.size() - 1);
        } else if (fp32.isEmpty()) {
            summary = String.format(
                    Locale.ROOT,
                    "every layer quantized (calibration loss %.2f%% %s)",
                    loss * 100,
                    calibration.metric().name());
        } else {
            summary = String.format(
                    Locale.ROOT,
                    "%s kept in FP32 as the most sensitive (calibration loss %.2f%% %s with the rest quantized)",
                    String.join(", ", kept.stream().map(this::name).toList()),
                    loss * 100,
                    calibration.metric().name());
        }
        return new Result(model, List.copyOf(layers), summary);
    }

    /** "layer 2", or in an ensemble "member 1 layer 2". */
    public String name(LayerId id) {
        String layer = "layer " + (id.layer() + 1);
        return members.size() == 1 ? layer : "member " + (id.member() + 1) + " " + layer;
    }

    private float[] outputs(byte[] model) {
        try (OrtModel session = OrtModel.load(model, transform.featureCount(), "calibration")) {
            return session.run(calibration.rows(), calibration.count());
        }
    }

    private double metric(float[] outputs) {
        return calibration.metric().ofServedOutputs().applyAsDouble(outputs);
    }

    /** Relative loss against FP32, positive when worse. */
    private double loss(double fp32, double int8) {
        double worse = calibration.metric().higherIsBetter() ? fp32 - int8 : int8 - fp32;
        return worse / Math.max(Math.abs(fp32), 1e-12);
    }

    private static double rmsChange(float[] outputs, float[] reference) {
        double sum = 0;
        for (int i = 0; i < outputs.length; i++) {
            double change = outputs[i] - reference[i];
            sum += change * change;
        }
        return Math.sqrt(sum / outputs.length);
    }
}
