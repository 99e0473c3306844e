package io.embedserve.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import io.embedserve.testsupport.OnnxGraph.Initializer;
import io.embedserve.testsupport.OnnxGraph.Node;

/**
 * Recovers a Hugging Face checkpoint from a {@code torch.onnx.export} of a BERT-style encoder.
 *
 * <p>The exporter keeps the module names of embeddings, biases and LayerNorm parameters
 * ({@code encoder.layer.0.attention.output.LayerNorm.weight}), but it pre-transposes every
 * {@code nn.Linear} weight for {@code MatMul} and renames it {@code onnx::MatMul_NNN}, stored
 * (in, out). The graph still says which Linear it was: that MatMul's output feeds an Add whose
 * other input is the Linear's bias, {@code ...query.bias}. The weight is therefore renamed
 * {@code ...query.weight} and transposed back to torch's (out, in) layout.
 *
 * <p>Non-float initializers (the {@code position_ids} buffer, shape constants) are not weights
 * and are skipped; exporter-named float initializers that fit no Linear are reported as unmapped.
 */
public final class OnnxToHuggingFace {

    /** A tensor under its Hugging Face name, in Hugging Face layout, row-major. */
    public record HfTensor(String name, long[] shape, float[] data) {
    }

    /**
     * @param tensors by Hugging Face name, sorted
     * @param unmappedFloatInitializers float initializers that could not be named; empty for a clean export
     * @param skippedNonFloatInitializers integer buffers and constants, left out on purpose
     */
    public record Conversion(SortedMap<String, HfTensor> tensors, List<String> unmappedFloatInitializers,
            List<String> skippedNonFloatInitializers) {
    }

    private OnnxToHuggingFace() {
    }

    public static Conversion convert(OnnxGraph graph) {
        SortedMap<String, HfTensor> tensors = new TreeMap<>();
        List<String> unmapped = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Initializer initializer : graph.initializers()) {
            if (!initializer.isFloat()) {
                skipped.add(initializer.name());
                continue;
            }
            Optional<String> linearBias = linearBiasOf(graph, initializer);
            HfTensor tensor;
            if (linearBias.isPresent()) {
                String weightName = linearBias.get().substring(0, linearBias.get().length() - ".bias".length()) + ".weight";
                tensor = transposed(weightName, initializer);
            } else if (initializer.name().startsWith("onnx::")) {
                unmapped.add(initializer.name());
                continue;
            } else {
                tensor = new HfTensor(initializer.name(), initializer.dims(), initializer.floats());
            }
            if (tensors.put(tensor.name(), tensor) != null) {
                throw new IllegalStateException("two initializers map to " + tensor.name());
            }
        }
        return new Conversion(tensors, List.copyOf(unmapped), List.copyOf(skipped));
    }

    /**
     * The bias name of the Linear whose weight {@code initializer} is: it is the right-hand
     * operand of a MatMul whose result goes into an Add with a {@code *.bias} initializer.
     */
    private static Optional<String> linearBiasOf(OnnxGraph graph, Initializer initializer) {
        if (initializer.dims().length != 2) {
            return Optional.empty();
        }
        List<Node> matMuls = graph.consumersOf(initializer.name()).stream()
                .filter(node -> node.opType().equals("MatMul") && node.inputs().indexOf(initializer.name()) == 1)
                .toList();
        if (matMuls.size() != 1) {
            return Optional.empty();
        }
        String product = matMuls.get(0).outputs().get(0);
        return graph.consumersOf(product).stream()
                .filter(node -> node.opType().equals("Add"))
                .flatMap(add -> add.inputs().stream())
                .filter(input -> !input.equals(product) && input.endsWith(".bias"))
                .findFirst();
    }

    /** ONNX MatMul weight (in, out) to torch Linear weight (out, in). */
    static HfTensor transposed(String name, Initializer initializer) {
        int in = Math.toIntExact(initializer.dims()[0]);
        int out = Math.toIntExact(initializer.dims()[1]);
        float[] source = initializer.floats(); // (in, out)
        float[] target = new float[source.length]; // (out, in)
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                target[o * in + i] = source[i * out + o];
            }
        }
        return new HfTensor(name, new long[] {out, in}, target);
    }
}
