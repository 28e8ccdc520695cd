package vidkit.eval;

/**
 * A metric's value with a 95% bootstrap interval (percentiles 2.5 and 97.5 over resampled queries).
 */
public record Estimate(double value, double low, double high) {
    @Override
    public String toString() {
        return String.format("%.4f [%.4f, %.4f]", value, low, high);
    }
}
