package io.embedserve.inference.encode;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import io.embedserve.error.ModelLoadException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Proves each distinct dense-layer shape of a freshly bound encoder before it serves: the layer runs
 * through its fast path on a fixed input at several batch sizes and is compared with the same
 * product in float64 (encoder.py's {@code dense_error}). A shape whose fast path fails or misses
 * the tolerance of its DTYPE ({@link ComputeDtype#denseTolerance()}) runs on the float32 reference
 * path ({@code torch.linear}) instead, in every layer; if the reference path misses the float32
 * tolerance too, the model does not load. Which kernel a library picks depends on the CPU, the
 * shape and the batch size, so a path proven on one machine proves nothing on another: this runs
 * at every load.
 */
final class DenseSelfCheck {

    /**
     * Rows of the check's inputs. Kernels are chosen per batch size; these cover a single token, odd
     * sizes around a 6-row register block (where a wrong kernel was seen), and larger blocked sizes.
     */
    static final int[] BATCH_ROWS = {1, 6, 7, 33, 128};

    private static final long SEED = 20261207L;

    private DenseSelfCheck() {}

    /**
     * Runs the check on {@code program} (bound, with its reference weights still held) and leaves
     * every dense layer on the path the check chose; the reference copies are then released.
     *
     * @param tolerances the largest relative row error each path may show
     */
    static List<DenseCheck> run(PtSymbolBlock program, ComputeDtype dtype, Tolerances tolerances, PtNDManager manager) {
        List<DenseCheck> results = new ArrayList<>();
        try (NDManager scope = manager.newSubManager()) {
            for (Map.Entry<ShapeKey, List<Integer>> shape : distinctShapes(denseLayers(program)).entrySet()) {
                results.add(check(program, shape.getKey(), shape.getValue(), dtype, tolerances, (PtNDManager) scope));
            }
        }
        IValueUtils.runMethod(program, "release_reference").close();
        return results;
    }

    private static DenseCheck check(PtSymbolBlock program, ShapeKey shape, List<Integer> indices, ComputeDtype dtype,
            Tolerances tolerances, PtNDManager scope) {
        double fastTolerance = tolerances.fastPath();
        int probe = indices.get(0);
        String failure = null;
        double fastError;
        try {
            fastError = worstError(program, probe, shape.in, scope);
        } catch (RuntimeException e) {
            fastError = Double.NaN;
            failure = e.getMessage() == null ? e.toString() : firstLine(e.getMessage());
        }
        if (failure == null && fastError <= fastTolerance) {
            return new DenseCheck(shape.in, shape.out, shape.activated, shape.kind, indices.size(),
                    fastPathName(dtype), fastError, fastTolerance, null);
        }
        if (failure == null) {
            failure = String.format("relative error %.3g exceeds %.3g", fastError, fastTolerance);
        }
        for (int index : indices) {
            try (IValue i = IValue.from((long) index)) {
                IValueUtils.runMethod(program, "use_reference", i).close();
            }
        }
        double referenceTolerance = tolerances.referencePath();
        double referenceError = worstError(program, probe, shape.in, scope);
        if (!(referenceError <= referenceTolerance)) {
            throw new ModelLoadException(String.format(
                    "Dense layer %s (%d -> %d) computes wrong results on this CPU on every path: the fast path"
                            + " (%s) failed with %s, and the float32 reference path (torch.linear) has relative"
                            + " error %.3g, above %.3g. Report the CPU (/proc/cpuinfo) with this message.",
                    shape.name, shape.in, shape.out, fastPathName(dtype), failure, referenceError,
                    referenceTolerance));
        }
        return new DenseCheck(shape.in, shape.out, shape.activated, shape.kind, indices.size(), REFERENCE_PATH,
                referenceError, referenceTolerance, fastPathName(dtype) + ": " + failure);
    }

    /** The largest relative row error of layer {@code index} over every batch size of the check. */
    private static double worstError(PtSymbolBlock program, int index, int in, PtNDManager scope) {
        int rows = java.util.Arrays.stream(BATCH_ROWS).max().orElseThrow();
        try (NDManager batch = scope.newSubManager()) {
            PtNDArray x = (PtNDArray) batch.create(fixedInput(rows, in), new Shape(rows, in)); // (M, in)
            long[] sizes = java.util.Arrays.stream(BATCH_ROWS).asLongStream().toArray();
            try (IValue i = IValue.from((long) index); IValue input = IValue.from(x);
                    IValue batchRows = IValue.listFrom(sizes);
                    IValue error = IValueUtils.runMethod(program, "dense_error", i, input, batchRows)) {
                return error.toDouble();
            }
        }
    }

    /** Standard normal values from a fixed seed: the same input on every machine and every start. */
    static float[] fixedInput(int rows, int in) {
        SplittableRandom random = new SplittableRandom(SEED + 31L * rows + in);
        float[] values = new float[rows * in];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /**
     * The program's dense layers, by the index encoder.py numbers them with: its Hugging Face name,
     * widths and kind (encoder.py's {@code dense_layers}).
     */
    static List<DenseLayer> denseLayers(PtSymbolBlock program) {
        List<DenseLayer> layers = new ArrayList<>();
        try (IValue result = IValueUtils.runMethod(program, "dense_layers")) {
            IValue[] rows = result.toIValueArray();
            for (int index = 0; index < rows.length; index++) {
                long[] row = rows[index].toLongArray(); // [in, out, kind]
                rows[index].close();
                String name;
                try (IValue i = IValue.from((long) index);
                        IValue value = IValueUtils.runMethod(program, "dense_layer_name", i)) {
                    name = value.toStringValue();
                }
                layers.add(new DenseLayer(index, name, (int) row[0], (int) row[1], (int) row[2]));
            }
        }
        return layers;
    }

    /**
     * The dense layers grouped by what decides their kernel, (in, out, fused activation), each with
     * the indices of its layers. A group is named after its first layer.
     */
    static Map<ShapeKey, List<Integer>> distinctShapes(List<DenseLayer> layers) {
        Map<ShapeKey, List<Integer>> shapes = new LinkedHashMap<>();
        for (DenseLayer layer : layers) {
            ShapeKey key = new ShapeKey(layer.in(), layer.out(), layer.kind() == INTERMEDIATE, layer.kind(), layer.name());
            shapes.computeIfAbsent(key, k -> new ArrayList<>()).add(layer.index());
        }
        return shapes;
    }

    /** The kind of the intermediate layer, the only one with the hidden activation fused in. */
    static final int INTERMEDIATE = 2;

    static final String REFERENCE_PATH = "torch.linear float32";

    static String fastPathName(ComputeDtype dtype) {
        return switch (dtype) {
            case FLOAT32 -> "onednn float32";
            case BFLOAT16 -> "onednn bfloat16";
            case INT8 -> "int8 dynamic";
        };
    }

    /** The line that says what went wrong: libtorch puts the TorchScript traceback before it. */
    private static String firstLine(String message) {
        String[] lines = message.strip().split("\n");
        for (String line : lines) {
            if (line.contains("Error: ")) {
                return line.strip();
            }
        }
        return lines[0].strip();
    }

    /**
     * The largest relative row error allowed: the DTYPE's fast path, and the float32 reference path
     * a shape falls back to.
     */
    record Tolerances(double fastPath, double referencePath) {
        static Tolerances of(ComputeDtype dtype) {
            return new Tolerances(dtype.denseTolerance(), ComputeDtype.FLOAT32.denseTolerance());
        }
    }

    /**
     * One dense layer of the program.
     *
     * @param index its index in encoder.py's dense lists
     * @param name its Hugging Face module name
     * @param kind encoder.py's kind code ({@link DenseCheck#kind()})
     */
    record DenseLayer(int index, String name, int in, int out, int kind) {}

    /**
     * What decides a dense layer's kernel; {@code kind} and {@code name} are the first layer's with
     * this shape.
     */
    record ShapeKey(int in, int out, boolean activated, int kind, String name) {
        @Override
        public boolean equals(Object other) {
            return other instanceof ShapeKey key && key.in == in && key.out == out && key.activated == activated;
        }

        @Override
        public int hashCode() {
            return (in * 31 + out) * 2 + (activated ? 1 : 0);
        }
    }
}
