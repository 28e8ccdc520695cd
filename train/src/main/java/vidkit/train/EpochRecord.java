package vidkit.train;

import vidkit.core.Validation;

/**
 * What one epoch (or a closed-form fit, recorded as epoch 0) produced.
 *
 * @param epoch 0-based
 * @param learningRate the epoch's rate (0 for a closed-form fit)
 * @param trainLoss mean training loss over the epoch's batches
 * @param validation the validation pass after it
 * @param gradientNorm mean global gradient norm before clipping
 * @param samplesPerSecond training throughput
 * @param seconds the epoch's training time
 * @param improved whether the selection metric reached a new best
 */
public record EpochRecord(int epoch, double learningRate, double trainLoss, Validation validation, double gradientNorm,
        double samplesPerSecond, double seconds, boolean improved) {
    /** The {@code metrics.csv} header for this record's validation metrics. */
    public String csvHeader() {
        StringBuilder b = new StringBuilder("epoch,learning_rate,train_loss");
        for (String k : validation.metrics().keySet()) {
            b.append(",validation_").append(k);
        }
        return b.append(",gradient_norm,samples_per_second,seconds").toString();
    }

    /** This record as a {@code metrics.csv} line (epoch counted from 1). */
    public String csvLine() {
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT, "%d,%.6g,%.6f", epoch + 1, learningRate,
                trainLoss));
        for (double v : validation.metrics().values()) {
            b.append(String.format(java.util.Locale.ROOT, ",%.6f", v));
        }
        return b.append(String.format(java.util.Locale.ROOT, ",%.4f,%.1f,%.2f", gradientNorm, samplesPerSecond, seconds))
                .toString();
    }
}
