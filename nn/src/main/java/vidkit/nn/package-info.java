/**
 * Neural-network blocks and models (DJL on the PyTorch engine).
 *
 * <p>Small blocks — {@link vidkit.nn.TemporalConv} (the seeds' "local layer"), {@link
 * vidkit.nn.BidirectionalRecurrent} (two one-direction RNNs, since DJL's own bidirectional GRU/LSTM
 * are broken on PyTorch), {@link vidkit.nn.AttentionPooling} — are composed into matching models
 * that implement {@link vidkit.nn.MatchingModel}: per-modality encoders computed once per item and a
 * cheap pairwise fusion. Models are chosen by an immutable {@link vidkit.nn.MatchingModelConfig}
 * with a JSON {@code "type"} name; {@link vidkit.nn.CcaModel} is the one fitted in closed form (with
 * {@link vidkit.nn.SymmetricEigen}) rather than by gradients. Tensor shapes are given as {@code [batch, frames, featureDim]}.
 */
package vidkit.nn;
