"""Golden values for vidkit.media.LogMelFeatures (numpy's FFT, a different route from vidkit's own
radix-2 transform): per-second mean and standard deviation of 64 log-mel bands (25 ms periodic Hann
windows every 10 ms inside each second, 512-point FFT magnitudes, HTK mel filters 125-7500 Hz,
log(mel + 0.001)) of a fixed two-second test signal that the Java test builds the same way.

    /usr/bin/python3 tools/logmel_golden.py > media/src/test/resources/logmel-golden.txt
"""
import numpy as np

RATE, WINDOW, HOP, FFT, BANDS = 16000, 400, 160, 512, 64
t = np.arange(2 * RATE, dtype=np.float64) / RATE
# 440 Hz for the first second, a 1,000 -> 3,000 Hz chirp in the second, plus a 5 Hz-modulated 200 Hz tone
signal = np.where(t < 1, 0.5 * np.sin(2 * np.pi * 440 * t), 0.3 * np.sin(2 * np.pi * (1000 * (t - 1) + 1000 * (t - 1) ** 2)))
signal = signal + 0.2 * np.sin(2 * np.pi * 200 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 5 * t))
signal = signal.astype(np.float32).astype(np.float64)


def mel(hz):
    return 1127.0 * np.log(1 + hz / 700.0)


edges = np.linspace(mel(125), mel(7500), BANDS + 2)
bins = mel(np.arange(FFT // 2 + 1) * RATE / FFT)
filters = np.zeros((BANDS, FFT // 2 + 1))
for b in range(BANDS):
    lower = (bins - edges[b]) / (edges[b + 1] - edges[b])
    upper = (edges[b + 2] - bins) / (edges[b + 2] - edges[b + 1])
    filters[b] = np.maximum(0, np.minimum(lower, upper))
filters[:, 0] = 0
hann = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(WINDOW) / WINDOW)
out = []
for s in range(2):
    frames = np.stack([signal[s * RATE + w * HOP: s * RATE + w * HOP + WINDOW] * hann
                       for w in range((RATE - WINDOW) // HOP + 1)])
    magnitude = np.abs(np.fft.rfft(frames, FFT))
    log_mel = np.log(magnitude @ filters.T + 0.001)
    out.append(np.concatenate([log_mel.mean(0), log_mel.std(0)]))
for row in out:
    print(' '.join(f'{v:.6f}' for v in row))
