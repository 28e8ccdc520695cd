/**
 * Run reports: one self-contained HTML file per run with its curves (XChart, embedded as PNG), its
 * config and provenance, and the task's evaluation charts.
 */
package vidkit.report;
