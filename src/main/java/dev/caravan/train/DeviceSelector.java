package dev.caravan.train;

import ai.djl.Device;

/**
 * Picks the training device: {@code auto} takes the first GPU DJL reports and falls back to the CPU, {@code cpu}
 * always the CPU, {@code gpu} a GPU or a clear error before any work starts.
 */
public final class DeviceSelector {
    public enum Choice {
        AUTO,
        CPU,
        GPU
    }

    private DeviceSelector() {}

    /** The device for a choice, given how many GPUs the engine sees. */
    public static Device select(Choice choice, int gpuCount) {
        return switch (choice) {
            case CPU -> Device.cpu();
            case AUTO -> gpuCount > 0 ? Device.gpu(0) : Device.cpu();
            case GPU -> {
                if (gpuCount == 0) {
                    throw new IllegalArgumentException("device gpu was requested, but PyTorch sees no GPU: this build"
                            + " carries CPU natives only unless built with -Pgpu, and the GPU needs CUDA 12.4 drivers;"
                            + " use device auto or cpu");
                }
                yield Device.gpu(0);
            }
        };
    }
}
