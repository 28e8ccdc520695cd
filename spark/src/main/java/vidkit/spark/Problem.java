package vidkit.spark;

import java.io.Serializable;

/**
 * Something a task could not use: a corrupt record or file. {@code offset} is the record's byte
 * offset, -1 for the whole file.
 */
public record Problem(String file, long offset, String reason) implements Serializable {
    /** As a CSV line {@code file,offset,reason}. */
    String csvLine() {
        return vidkit.data.Csv.quote(file) + "," + offset + "," + vidkit.data.Csv.quote(reason);
    }
}
