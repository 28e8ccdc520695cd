/**
 * The {@code vidkit} command line (picocli): {@code demo}, {@code train}, {@code evaluate} and
 * {@code match}. Bad input ends with a one-line error naming the file and exit status 2.
 */
package vidkit.cli;
