package dev.caravan.serve;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The server's Prometheus metrics, in the text exposition format: requests by endpoint and status, a latency
 * histogram, a rows-per-request histogram, and the served model's name and version.
 */
final class ServerMetrics {
    private static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
    private static final double[] ROW_BUCKETS = {1, 2, 5, 10, 50, 100, 500, 1000, 10000};

    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final Histogram latency = new Histogram(LATENCY_BUCKETS);
    private final Histogram rows = new Histogram(ROW_BUCKETS);

    void request(String endpoint, int status, double seconds) {
        requests.computeIfAbsent(endpoint + "\u0000" + status, key -> new AtomicLong())
                .incrementAndGet();
        latency.observe(seconds);
    }

    void rows(int count) {
        rows.observe(count);
    }

    String render(ServedModel model) {
        StringBuilder text = new StringBuilder();
        text.append("# HELP caravan_requests_total HTTP requests by endpoint and status.\n")
                .append("# TYPE caravan_requests_total counter\n");
        requests.forEach((key, count) -> {
            String[] parts = key.split("\u0000");
            text.append("caravan_requests_total{endpoint=\"")
                    .append(parts[0])
                    .append("\",status=\"")
                    .append(parts[1])
                    .append("\"} ")
                    .append(count.get())
                    .append('\n');
        });
        latency.render(text, "caravan_request_duration_seconds", "Request latency in seconds.");
        rows.render(text, "caravan_rows_per_request", "Rows per prediction request.");
        text.append("# HELP caravan_model_info The model being served.\n# TYPE caravan_model_info gauge\n");
        if (model != null) {
            text.append("caravan_model_info{name=\"")
                    .append(model.name())
                    .append("\",version=\"")
                    .append(model.version())
                    .append("\",precision=\"")
                    .append(model.precision())
                    .append("\"} 1\n");
        }
        return text.toString();
    }

    /** A cumulative histogram with fixed buckets. */
    private static final class Histogram {
        private final double[] bounds;
        private final AtomicLongArray counts;
        private final DoubleAdder sum = new DoubleAdder();
        private final AtomicLong total = new AtomicLong();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new AtomicLongArray(bounds.length);
        }

        void observe(double value) {
            for (int i = 0; i < bounds.length; i++) {
                if (value <= bounds[i]) {
                    counts.incrementAndGet(i);
                }
            }
            sum.add(value);
            total.incrementAndGet();
        }

        void render(StringBuilder text, String name, String help) {
            text.append("# HELP ")
                    .append(name)
                    .append(' ')
                    .append(help)
                    .append('\n')
                    .append("# TYPE ")
                    .append(name)
                    .append(" histogram\n");
            for (int i = 0; i < bounds.length; i++) {
                text.append(name)
                        .append("_bucket{le=\"")
                        .append(String.format(Locale.ROOT, "%s", bounds[i]))
                        .append("\"} ")
                        .append(counts.get(i))
                        .append('\n');
            }
            text.append(name)
                    .append("_bucket{le=\"+Inf\"} ")
                    .append(total.get())
                    .append('\n')
                    .append(name)
                    .append("_sum ")
                    .append(String.format(Locale.ROOT, "%.6f", sum.sum()))
                    .append('\n')
                    .append(name)
                    .append("_count ")
                    .append(total.get())
                    .append('\n');
        }
    }
}
