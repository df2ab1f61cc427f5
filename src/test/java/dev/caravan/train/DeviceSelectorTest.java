package dev.caravan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.caravan.train.DeviceSelector.Choice;
import org.junit.jupiter.api.Test;

class DeviceSelectorTest {
    @Test
    void autoTakesTheFirstGpuAndFallsBackToCpu() {
        assertThat(DeviceSelector.select(Choice.AUTO, 2)).isEqualTo(Device.gpu(0));
        assertThat(DeviceSelector.select(Choice.AUTO, 0)).isEqualTo(Device.cpu());
    }

    @Test
    void cpuIsAlwaysCpu() {
        assertThat(DeviceSelector.select(Choice.CPU, 4)).isEqualTo(Device.cpu());
    }

    @Test
    void gpuWithoutAGpuIsAClearError() {
        assertThat(DeviceSelector.select(Choice.GPU, 1)).isEqualTo(Device.gpu(0));
        assertThatThrownBy(() -> DeviceSelector.select(Choice.GPU, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PyTorch sees no GPU");
    }

    @Test
    void thisMachineTrainsOnCpuUnderAuto() {
        int gpus = Engines.pytorch().getGpuCount();
        assertThat(DeviceSelector.select(Choice.AUTO, gpus)).isEqualTo(gpus > 0 ? Device.gpu(0) : Device.cpu());
    }
}
