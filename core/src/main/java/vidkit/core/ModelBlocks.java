package vidkit.core;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named blocks of a model, as checkpoints store them and {@code "init"} takes them: each
 * top-level child under the name the model gave it ({@code addChildBlock("video", ...)} → {@code
 * video}; DJL's two-digit position prefix removed), and {@link #ROOT} for the model's own (direct)
 * parameters. Inside a block, parameters are keyed by their DJL path relative to the block.
 */
public final class ModelBlocks {
    /** The block holding the model's direct parameters. */
    public static final String ROOT = "root";
    /** Not a stored block: every parameter of the model, as {@code init}'s source or target. */
    public static final String WHOLE = "model";

    private ModelBlocks() {}

    /** Block name → its parameters (relative key → parameter), in the model's order; empty blocks left out. */
    public static Map<String, List<Pair<String, Parameter>>> of(Block model) {
        Map<String, List<Pair<String, Parameter>>> blocks = new LinkedHashMap<>();
        List<Pair<String, Parameter>> root = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getDirectParameters()) {
            root.add(new Pair<>(p.getValue().getName(), p.getValue()));
        }
        if (!root.isEmpty()) {
            blocks.put(ROOT, root);
        }
        for (Pair<String, Block> child : model.getChildren()) {
            List<Pair<String, Parameter>> params = new ArrayList<>();
            for (Pair<String, Parameter> p : child.getValue().getParameters()) {
                params.add(p);
            }
            if (!params.isEmpty()) {
                blocks.put(childName(child.getKey()), params);
            }
        }
        return blocks;
    }

    /** {@code "01video"} → {@code "video"}. */
    static String childName(String key) {
        int i = 0;
        while (i < key.length() && Character.isDigit(key.charAt(i))) {
            i++;
        }
        return key.substring(i);
    }

    /** {@link #copy(Block, Path, String, Block, String, String)} into the block of the same name. */
    public static void copy(Block source, Path sourceRun, String name, Block target, String targetRun)
            throws BlockMismatchException {
        copy(source, sourceRun, name, target, targetRun, name);
    }

    /**
     * Freezes block {@code name} of {@code model} ({@link #WHOLE}: all of it): its parameters stop
     * requiring gradients, so an optimizer built afterwards leaves them alone.
     */
    public static void freeze(Block model, String name) {
        List<Pair<String, Parameter>> params = block(model, name);
        if (params == null) {
            throw new IllegalArgumentException("the model has no block '" + name + "' (it has " + of(model).keySet()
                    + ", or " + WHOLE + ")");
        }
        for (Pair<String, Parameter> p : params) {
            p.getValue().freeze(true);
        }
    }

    /** The parameters of block {@code name} of {@code model} ({@link #WHOLE}: all of them), or {@code null}. */
    private static List<Pair<String, Parameter>> block(Block model, String name) {
        if (name.equals(WHOLE)) {
            List<Pair<String, Parameter>> all = new ArrayList<>();
            model.getParameters().forEach(all::add);
            return all;
        }
        return of(model).get(name);
    }

    /**
     * Copies block {@code name} of {@code source} (a model of run {@code sourceRun}; {@link #WHOLE}
     * for all of it) into block {@code into} of {@code target} (the model of {@code targetRun},
     * already initialized), value by value. Both must have the same parameters (by their path inside
     * the block) with the same shapes and types; nothing is copied unless all agree.
     */
    public static void copy(Block source, Path sourceRun, String name, Block target, String targetRun, String into)
            throws BlockMismatchException {
        String label = name.equals(into) ? name : name + " → " + into;
        List<Pair<String, Parameter>> from = block(source, name);
        List<Pair<String, Parameter>> dst = block(target, into);
        if (from == null) {
            throw new BlockMismatchException(sourceRun, targetRun, label, "the source model has no block '" + name
                    + "' (it has " + of(source).keySet() + ", or " + WHOLE + ")");
        }
        if (dst == null) {
            throw new BlockMismatchException(sourceRun, targetRun, label, "the new model has no block '" + into
                    + "' (it has " + of(target).keySet() + ", or " + WHOLE + ")");
        }
        Map<String, Parameter> src = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : from) {
            src.put(p.getKey(), p.getValue());
        }
        if (src.size() != dst.size()) {
            throw new BlockMismatchException(sourceRun, targetRun, label, "the source block has " + src.size()
                    + " parameters, the new one " + dst.size());
        }
        for (Pair<String, Parameter> p : dst) {
            Parameter s = src.get(p.getKey());
            if (s == null) {
                throw new BlockMismatchException(sourceRun, targetRun, label, "parameter " + p.getKey()
                        + " is missing in the source block (it has " + src.keySet() + ")");
            }
            NDArray a = s.getArray();
            NDArray b = p.getValue().getArray();
            if (!a.getShape().equals(b.getShape()) || a.getDataType() != b.getDataType()) {
                throw new BlockMismatchException(sourceRun, targetRun, label, "parameter " + p.getKey() + " is "
                        + a.getDataType() + " " + a.getShape() + " in the source and " + b.getDataType() + " "
                        + b.getShape() + " in the new model");
            }
        }
        for (Pair<String, Parameter> p : dst) {
            p.getValue().getArray().set(src.get(p.getKey()).getArray().toByteBuffer());
        }
    }
}
