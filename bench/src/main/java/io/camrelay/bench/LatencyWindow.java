package io.camrelay.bench;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Percentiles of the latency recorded between two snapshots of a cumulative histogram (Micrometer's percentile
 * histogram as Prometheus exposes it), interpolated linearly inside a bucket; the max is the upper bound of the highest
 * bucket that got values, so it is an upper bound, not the exact max.
 */
record LatencyWindow(long count, double p50Ms, double p99Ms, double p999Ms, double maxBoundMs) {

    static LatencyWindow between(List<CountAtBucket> before, List<CountAtBucket> after) {
        int n = after.size();
        double[] bounds = new double[n];
        double[] cumulative = new double[n];
        for (int i = 0; i < n; i++) {
            bounds[i] = after.get(i).bucket(TimeUnit.NANOSECONDS) / 1e6;
            double previous = i < before.size() ? before.get(i).count() : 0;
            cumulative[i] = after.get(i).count() - previous;
        }
        long count = n == 0 ? 0 : (long) cumulative[n - 1];
        double max = 0;
        for (int i = 0; i < n; i++) {
            if (cumulative[i] > (i == 0 ? 0 : cumulative[i - 1])) {
                max = bounds[i];
            }
        }
        return new LatencyWindow(count, quantile(bounds, cumulative, 0.5), quantile(bounds, cumulative, 0.99),
                quantile(bounds, cumulative, 0.999), max);
    }

    private static double quantile(double[] bounds, double[] cumulative, double q) {
        int n = bounds.length;
        if (n == 0 || cumulative[n - 1] == 0) {
            return Double.NaN;
        }
        double target = q * cumulative[n - 1];
        for (int i = 0; i < n; i++) {
            if (cumulative[i] >= target) {
                double lower = i == 0 ? 0 : bounds[i - 1];
                double below = i == 0 ? 0 : cumulative[i - 1];
                double inBucket = cumulative[i] - below;
                return inBucket == 0 ? bounds[i] : lower + (bounds[i] - lower) * (target - below) / inBucket;
            }
        }
        return bounds[n - 1];
    }

    String json() {
        return String.format(Locale.ROOT, "{\"count\":%d,\"p50Ms\":%.4f,\"p99Ms\":%.4f,\"p999Ms\":%.4f,"
                + "\"maxBoundMs\":%.4f}", count, p50Ms, p99Ms, p999Ms, maxBoundMs);
    }
}
