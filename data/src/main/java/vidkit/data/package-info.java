/**
 * Data: reading and validating the feature files vidkit learns from.
 *
 * <p>{@link vidkit.data.Npy} reads and writes NumPy {@code .npy} arrays; {@link
 * vidkit.data.PairedDataset} loads a paired-directory dataset ({@code afeat/NNNN.npy}, {@code
 * vfeat/NNNN.npy}, optional {@code labels.csv}) into dense {@code [clips, frames, featureDim]}
 * arrays; {@link vidkit.data.FeatureNormalizer} standardizes features with statistics fitted on a
 * training split; {@link vidkit.data.Splitter} makes seeded random, stratified, grouped and k-fold
 * splits. Every malformed input raises an {@link vidkit.data.InvalidDataException} naming the file
 * and what was expected.
 */
package vidkit.data;
