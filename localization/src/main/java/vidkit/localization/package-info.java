/**
 * Event localization, the first task added to the engine as a package of its own: per second of
 * an AVE clip, which of its events — or background — is happening. {@link
 * vidkit.localization.LocalizationTask} ({@code "type": "localization"}) trains a {@link
 * vidkit.nn.EventLocalizer}; {@link vidkit.localization.LocalizationEvaluation} measures segment
 * accuracy, per-label accuracy and boundary errors beside two baselines; {@link
 * vidkit.localization.Timelines} writes each clip's timeline as JSON and CSV.
 */
package vidkit.localization;
