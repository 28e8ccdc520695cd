/**
 * Video question answering (seed 003): questions generated from AVE's human annotations ({@link
 * vidkit.qa.QuestionGenerator}), read and validated from JSON lines ({@link vidkit.qa.QuestionsFile}),
 * the {@code qa} task on the engine ({@link vidkit.qa.QaTask}) training the DualVGR-style graph model
 * or a baseline, evaluation per question type with seen and held-out phrasings ({@link
 * vidkit.qa.QaEvaluation}), and asking a trained run ({@link vidkit.qa.TrainedAnswerer}).
 */
package vidkit.qa;
