package vidkit.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Makes seeded splits of a {@link PairedDataset}.
 *
 * <p>Rule: clips are first gathered into groups (their {@code youtube_id} when {@code grouped} and
 * labels exist, else each clip alone); a group's stratum is the label of its first clip in id order
 * (or one stratum when not stratifying). Within each stratum, in ascending label order, the groups
 * in id order are shuffled by one {@code java.util.Random(seed)}; the first {@code
 * round(fraction × groups)} go to validation (at least one when the stratum has two or more
 * groups). With k folds, the i-th shuffled group of a stratum goes to fold {@code (i + offset) mod
 * k}, where {@code offset} carries on from the previous stratum so folds stay balanced.
 */
public final class Splitter {
    private Splitter() {}

    public static Split split(PairedDataset data, SplitConfig config) {
        boolean haveLabels = data.labels() != null;
        List<String> groups = haveLabels ? data.labels().stream().map(ClipLabel::group).toList() : null;
        int[] strata = haveLabels ? data.labels().stream().mapToInt(ClipLabel::label).toArray() : null;
        return split(data.ids(), strata, groups, config);
    }

    /**
     * The same rule over any items.
     *
     * @param ids item ids
     * @param labels each item's stratum, or {@code null} (one stratum)
     * @param groupIds each item's group, or {@code null} (each item alone)
     */
    public static Split split(List<String> ids, int[] labels, List<String> groupIds, SplitConfig config) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String g = config.grouped() && groupIds != null ? groupIds.get(i) : ids.get(i);
            groups.computeIfAbsent(g, k -> new ArrayList<>()).add(i);
        }
        Map<Integer, List<List<Integer>>> strata = new TreeMap<>();
        for (List<Integer> members : groups.values()) {
            int stratum = config.stratify() && labels != null ? labels[members.get(0)] : 0;
            strata.computeIfAbsent(stratum, k -> new ArrayList<>()).add(members);
        }
        Random random = new Random(config.seed());
        boolean[] validation = new boolean[ids.size()];
        int offset = 0;
        for (List<List<Integer>> inStratum : strata.values()) {
            Collections.shuffle(inStratum, random);
            int n = inStratum.size();
            for (int i = 0; i < n; i++) {
                boolean held;
                if (config.folds() >= 2) {
                    held = (i + offset) % config.folds() == config.fold();
                } else {
                    int take = (int) Math.round(config.validationFraction() * n);
                    if (take == 0 && n >= 2) {
                        take = 1;
                    }
                    held = i < take;
                }
                for (int clip : inStratum.get(i)) {
                    validation[clip] = held;
                }
            }
            offset = (offset + n) % Math.max(1, config.folds());
        }
        List<String> train = new ArrayList<>();
        List<String> val = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            (validation[i] ? val : train).add(ids.get(i));
        }
        return new Split(train, val);
    }
}
