/**
 * Video similarity (seed 004, issue 15): pairs of videos with judged similarity scores — read from
 * a user's {@code id1,id2,score} file ({@link vidkit.similarity.PairsFile}) or derived from
 * YouTube-8M labels by the reference definition ({@link vidkit.similarity.ReferencePairs}) — and
 * their evaluation by Spearman's ρ ({@link vidkit.eval.SimilarityMetrics}); the task
 * ({@link vidkit.similarity.SimilarityTask}) trains seed 004's stages — tag pre-training, pairwise
 * fine-tuning, self-distillation — on the engine. Blending is not built yet.
 */
package vidkit.similarity;
