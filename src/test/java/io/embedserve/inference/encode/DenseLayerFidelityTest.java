package io.embedserve.inference.encode;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import io.embedserve.model.EncoderConfig;
import io.embedserve.model.ModelFamily;
import io.embedserve.model.PoolingMode;
import io.embedserve.testsupport.CpuFeatures;
import io.embedserve.testsupport.HalfPrecision;
import io.embedserve.testsupport.ReferenceEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every dense layer of the encoder program, as it runs after the load-time self-check, against a
 * plain double-precision product written here (x·Wᵀ + b, then the activation), at the widths
 * encoders use (32 to 3072 in and out) and at batch sizes on either side of the kernels' register
 * and cache blocks. A kernel that misreads its weights on this CPU fails here unless the self-check
 * moved that shape to the reference path, which the test then requires to be exact.
 */
class DenseLayerFidelityTest {

    /** (hidden, intermediate): every width 32, 64, 96, 128, 384, 768, 3072 appears as an input or output. */
    static final int[][] WIDTHS = {{32, 64}, {64, 256}, {96, 384}, {128, 512}, {384, 1536}, {768, 3072}};
    static final int[] BATCH_ROWS = {1, 7, 33, 128};
    /**
     * Written here, not read from the code under test: a float32 GEMM's own rounding is 1-6e-7 at
     * these widths; a bfloat16 kernel rounds each output once to an 8-bit significand (at most 2^-9).
     */
    static final double FLOAT32_TOLERANCE = 1e-5;
    static final double BFLOAT16_TOLERANCE = 0x1p-8;

    static NDManager manager;

    @BeforeAll
    static void engine() {
        System.setProperty("ai.djl.offline", "true");
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static Stream<Arguments> layers() {
        List<Arguments> cases = new ArrayList<>();
        for (ComputeDtype dtype : List.of(ComputeDtype.FLOAT32, ComputeDtype.BFLOAT16)) {
            for (int[] widths : WIDTHS) {
                cases.add(Arguments.of(dtype, widths[0], widths[1]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} hidden {1} intermediate {2}")
    @MethodSource("layers")
    void everyDenseLayerMatchesTheDoublePrecisionProductAtEveryBatchSize(ComputeDtype dtype, int hidden,
            int intermediate) {
        EncoderConfig config = new EncoderConfig(ModelFamily.BERT, 16, hidden, 1, hidden / 16 > 0 ? hidden / 16 : 1,
                intermediate, "gelu", 1e-12, 16, 2, 0, 0);
        try (NDManager scope = manager.newSubManager()) {
            PtSymbolBlock program = ScriptEncoder.compile(ScriptEncoder.attributes(config, PoolingMode.MEAN, dtype),
                    (PtNDManager) scope);
            Map<String, float[]> weights = randomCheckpoint(program, hidden);
            ScriptEncoder.bind(program, tensors(weights, ScriptEncoder.checkpointShapes(program), scope));
            List<DenseCheck> checks = DenseSelfCheck.run(program, dtype, DenseSelfCheck.Tolerances.of(dtype),
                    (PtNDManager) scope);
            assertThat(checks).hasSize(4);
            if (dtype == ComputeDtype.BFLOAT16 && !CpuFeatures.read().runsBfloat16Kernels()) {
                assertThat(checks).as("this CPU has no bfloat16 kernels: every shape must say it fell back")
                        .allSatisfy(check -> assertThat(check.path()).isEqualTo(DenseSelfCheck.REFERENCE_PATH));
            }
            String prefix = "encoder.layer.0.";
            float[][] layerWeights = {
                concat(weights.get(prefix + "attention.self.query.weight"), weights.get(prefix + "attention.self.key.weight"),
                        weights.get(prefix + "attention.self.value.weight")),
                weights.get(prefix + "attention.output.dense.weight"),
                weights.get(prefix + "intermediate.dense.weight"),
                weights.get(prefix + "output.dense.weight")};
            float[][] layerBiases = {
                concat(weights.get(prefix + "attention.self.query.bias"), weights.get(prefix + "attention.self.key.bias"),
                        weights.get(prefix + "attention.self.value.bias")),
                weights.get(prefix + "attention.output.dense.bias"),
                weights.get(prefix + "intermediate.dense.bias"),
                weights.get(prefix + "output.dense.bias")};
            int[] ins = {hidden, hidden, hidden, intermediate};
            for (int kind = 0; kind < 4; kind++) {
                DenseCheck check = checkFor(checks, ins[kind], layerBiases[kind].length, kind == 2);
                boolean bfloat16Kernel = dtype == ComputeDtype.BFLOAT16 && !check.fellBack();
                double tolerance = bfloat16Kernel ? BFLOAT16_TOLERANCE : FLOAT32_TOLERANCE;
                for (int rows : BATCH_ROWS) {
                    float[] x = randomInput(rows, ins[kind], 1000L * kind + rows);
                    float[] actual = run(program, kind, x, rows, ins[kind], scope);
                    double[] expected = product(x, layerWeights[kind], layerBiases[kind], rows, ins[kind],
                            kind == 2, bfloat16Kernel);
                    assertThat(worstRowError(actual, expected, rows))
                            .as("%s layer kind %d, %d -> %d, %d rows, on %s", dtype.wireName(), kind, ins[kind],
                                    layerBiases[kind].length, rows, check.path())
                            .isLessThanOrEqualTo(tolerance);
                }
            }
        }
    }

    static DenseCheck checkFor(List<DenseCheck> checks, int in, int out, boolean activated) {
        return checks.stream()
                .filter(c -> c.inFeatures() == in && c.outFeatures() == out && c.activated() == activated)
                .findFirst().orElseThrow();
    }

    /** The program's own dense (or dense_activated, for the intermediate layer) on x (rows, in). */
    static float[] run(PtSymbolBlock program, int kind, float[] x, int rows, int in, NDManager scope) {
        PtNDArray input = (PtNDArray) scope.create(x, new Shape(rows, in));
        try (IValue value = IValue.from(input); IValue index = IValue.from((long) kind);
                IValue y = IValueUtils.runMethod(program, kind == 2 ? "dense_activated" : "dense", value, index)) {
            return y.toTensor((PtNDManager) scope).toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    /**
     * x·Wᵀ + b in double, then gelu for the intermediate layer. For a bfloat16 kernel the operands
     * are first rounded to bfloat16, as the kernel receives them, and so is the result.
     */
    static double[] product(float[] x, float[] w, float[] b, int rows, int in, boolean activated, boolean bfloat16) {
        int out = b.length;
        double[] result = new double[rows * out];
        IntStream.range(0, rows).parallel().forEach(r -> {
            for (int o = 0; o < out; o++) {
                double sum = round(b[o], bfloat16);
                for (int i = 0; i < in; i++) {
                    sum += (double) round(x[r * in + i], bfloat16) * round(w[o * in + i], bfloat16);
                }
                double value = activated ? ReferenceEncoder.activation("gelu", sum) : sum;
                result[r * out + o] = bfloat16 ? round((float) value, true) : value;
            }
        });
        return result;
    }

    static float round(float value, boolean bfloat16) {
        return bfloat16 ? HalfPrecision.bf16BitsToFloat(HalfPrecision.toBf16Bits(value)) : value;
    }

    /** The largest ||y - expected|| / ||expected|| over the rows. */
    static double worstRowError(float[] actual, double[] expected, int rows) {
        int out = expected.length / rows;
        double worst = 0;
        for (int r = 0; r < rows; r++) {
            double difference = 0;
            double norm = 0;
            for (int o = 0; o < out; o++) {
                double d = actual[r * out + o] - expected[r * out + o];
                difference += d * d;
                norm += expected[r * out + o] * expected[r * out + o];
            }
            worst = Math.max(worst, Math.sqrt(difference / norm));
        }
        return worst;
    }

    static float[] randomInput(int rows, int in, long seed) {
        Random random = new Random(seed);
        float[] x = new float[rows * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    /** Every tensor the program asks for, N(0, 0.02) as BERT initialises them (LayerNorm weights 1). */
    static Map<String, float[]> randomCheckpoint(PtSymbolBlock program, int hidden) {
        Random random = new Random(hidden);
        Map<String, float[]> weights = new LinkedHashMap<>();
        ScriptEncoder.checkpointShapes(program).forEach((name, shape) -> {
            long size = 1;
            for (long dimension : shape) {
                size *= dimension;
            }
            float[] values = new float[(int) size];
            for (int i = 0; i < values.length; i++) {
                values[i] = name.endsWith("LayerNorm.weight") ? 1f : (float) (random.nextGaussian() * 0.02);
            }
            weights.put(name, values);
        });
        return weights;
    }

    static Map<String, PtNDArray> tensors(Map<String, float[]> weights, Map<String, long[]> shapes, NDManager scope) {
        Map<String, PtNDArray> tensors = new LinkedHashMap<>();
        weights.forEach((name, values) -> tensors.put(name, (PtNDArray) scope.create(values, new Shape(shapes.get(name)))));
        return tensors;
    }

    static float[] concat(float[]... parts) {
        int length = 0;
        for (float[] part : parts) {
            length += part.length;
        }
        float[] out = new float[length];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
