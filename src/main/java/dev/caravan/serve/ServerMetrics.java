package dev.caravan.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The server's Prometheus metrics, from Micrometer's registry (which escapes label values and writes the exposition
 * format): requests by endpoint and status, a latency histogram by status (the server answers a fixed few), a
 * rows-per-request histogram, the served model's
 * name and version, and the JVM's memory, GC, thread, class and CPU metrics. Endpoints are a fixed set (any other
 * path counts as {@code other}), so no request can add a label value.
 */
final class ServerMetrics implements AutoCloseable {
    static final String OTHER = "other";
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofSeconds(1),
        Duration.ofSeconds(10)
    };
    private static final double[] ROW_BUCKETS = {1, 2, 5, 10, 50, 100, 500, 1000, 10000};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Set<String> endpoints;
    private final DistributionSummary rows;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private Meter modelInfo;

    /** @param endpoints the paths counted by name; the rest count as {@value #OTHER} */
    ServerMetrics(Set<String> endpoints) {
        this.endpoints = Set.copyOf(endpoints);
        this.rows = DistributionSummary.builder("caravan.rows.per.request")
                .description("Rows per prediction request.")
                .serviceLevelObjectives(ROW_BUCKETS)
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The name a path is counted under: itself when it is one of the endpoints, else {@value #OTHER}. */
    String endpoint(String path) {
        return endpoints.contains(path) ? path : OTHER;
    }

    void request(String endpoint, int status, double seconds) {
        Counter.builder("caravan.requests")
                .description("HTTP requests by endpoint and status.")
                .tags("endpoint", endpoint, "status", String.valueOf(status))
                .register(registry)
                .increment();
        Timer.builder("caravan.request.duration")
                .description("Request latency, from the request's headers to its answer, by status.")
                .tags("status", String.valueOf(status))
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)
                .record((long) (seconds * 1e9), TimeUnit.NANOSECONDS);
    }

    void rows(int count) {
        rows.record(count);
    }

    /** The served model, as a gauge of 1 labelled with its name, version and precision. */
    synchronized void serving(ServedModel model) {
        if (modelInfo != null) {
            registry.remove(modelInfo);
        }
        modelInfo = Gauge.builder("caravan.model.info", () -> 1)
                .description("The model being served.")
                .tags("name", model.name(), "version", String.valueOf(model.version()), "precision", model.precision())
                .register(registry);
    }

    String render() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
