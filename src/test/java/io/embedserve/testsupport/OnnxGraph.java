package io.embedserve.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

/**
 * The parts of an ONNX model that a checkpoint conversion needs: initializers (name, dims, float
 * values), nodes (op type and the names of their inputs and outputs) and the graph's input and
 * output names. Parsed straight from the protobuf wire format by field number, after
 * <a href="https://github.com/onnx/onnx/blob/main/onnx/onnx.proto">onnx.proto</a>:
 *
 * <pre>
 * ModelProto     graph = 7
 * GraphProto     node = 1, initializer = 5, input = 11, output = 12
 * NodeProto      input = 1, output = 2, name = 3, op_type = 4
 * TensorProto    dims = 1, data_type = 2, float_data = 4, name = 8, raw_data = 9, data_location = 14
 * ValueInfoProto name = 1
 * </pre>
 *
 * Tensors kept in external files ({@code data_location = EXTERNAL}) are not supported.
 */
public final class OnnxGraph {

    /** {@code TensorProto.DataType.FLOAT}. */
    public static final int FLOAT = 1;
    private static final int EXTERNAL_DATA_LOCATION = 1;

    /** A constant of the graph; {@code floats} is null unless the data type is FLOAT. */
    public record Initializer(String name, int dataType, long[] dims, float[] floats) {
        public boolean isFloat() {
            return dataType == FLOAT;
        }
    }

    public record Node(String name, String opType, List<String> inputs, List<String> outputs) {
    }

    private final List<Initializer> initializers = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> inputNames = new ArrayList<>();
    private final List<String> outputNames = new ArrayList<>();

    private OnnxGraph() {
    }

    public static OnnxGraph read(Path onnxFile) {
        try {
            OnnxGraph graph = new OnnxGraph();
            CodedInputStream model = CodedInputStream.newInstance(Files.readAllBytes(onnxFile));
            for (int tag = model.readTag(); tag != 0; tag = model.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == 7) {
                    inMessage(model, () -> graph.readGraph(model));
                } else {
                    model.skipField(tag);
                }
            }
            return graph;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX model " + onnxFile, e);
        }
    }

    public List<Initializer> initializers() {
        return initializers;
    }

    public Map<String, Initializer> initializersByName() {
        return initializers.stream().collect(Collectors.toMap(Initializer::name, Function.identity()));
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** The nodes that take {@code valueName} as one of their inputs. */
    public List<Node> consumersOf(String valueName) {
        return nodes.stream().filter(node -> node.inputs().contains(valueName)).toList();
    }

    public List<String> inputNames() {
        return inputNames;
    }

    public List<String> outputNames() {
        return outputNames;
    }

    private void readGraph(CodedInputStream in) throws IOException {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> inMessage(in, () -> nodes.add(readNode(in)));
                case 5 -> inMessage(in, () -> initializers.add(readTensor(in)));
                case 11 -> inMessage(in, () -> inputNames.add(readValueInfoName(in)));
                case 12 -> inMessage(in, () -> outputNames.add(readValueInfoName(in)));
                default -> in.skipField(tag);
            }
        }
    }

    private static Node readNode(CodedInputStream in) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String opType = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> inputs.add(in.readString());
                case 2 -> outputs.add(in.readString());
                case 3 -> name = in.readString();
                case 4 -> opType = in.readString();
                default -> in.skipField(tag);
            }
        }
        return new Node(name, opType, List.copyOf(inputs), List.copyOf(outputs));
    }

    private static Initializer readTensor(CodedInputStream in) throws IOException {
        List<Long> dims = new ArrayList<>();
        FloatList floatData = new FloatList();
        int dataType = 0;
        String name = "";
        byte[] rawData = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> readRepeated(in, tag, WireFormat.WIRETYPE_VARINT, () -> dims.add(in.readInt64()));
                case 2 -> dataType = in.readInt32();
                case 4 -> readRepeated(in, tag, WireFormat.WIRETYPE_FIXED32, () -> floatData.add(in.readFloat()));
                case 8 -> name = in.readString();
                case 9 -> rawData = in.readByteArray();
                case 14 -> {
                    if (in.readEnum() == EXTERNAL_DATA_LOCATION) {
                        throw new IOException("tensor " + name + " keeps its data in an external file");
                    }
                }
                default -> in.skipField(tag);
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        float[] floats = dataType == FLOAT ? floatValues(name, shape, rawData, floatData) : null;
        return new Initializer(name, dataType, shape, floats);
    }

    private static float[] floatValues(String name, long[] shape, byte[] rawData, FloatList floatData) {
        float[] values;
        if (rawData != null) { // raw_data is always little-endian, whatever the host
            values = new float[rawData.length / Float.BYTES];
            ByteBuffer.wrap(rawData).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        } else {
            values = floatData.toArray();
        }
        long expected = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (values.length != expected) {
            throw new IllegalStateException(name + ": dims " + Arrays.toString(shape) + " but "
                    + values.length + " floats");
        }
        return values;
    }

    private static String readValueInfoName(CodedInputStream in) throws IOException {
        String name = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                name = in.readString();
            } else {
                in.skipField(tag);
            }
        }
        return name;
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /** Runs {@code body} on a length-delimited sub-message in place, without copying its bytes. */
    private static void inMessage(CodedInputStream in, IoAction body) throws IOException {
        int outerLimit = in.pushLimit(in.readRawVarint32());
        body.run();
        in.popLimit(outerLimit);
    }

    /** A repeated scalar comes either one element per tag or packed into one length-delimited run. */
    private static void readRepeated(CodedInputStream in, int tag, int unpackedWireType, IoAction readOne)
            throws IOException {
        if (WireFormat.getTagWireType(tag) == unpackedWireType) {
            readOne.run();
        } else {
            inMessage(in, () -> {
                while (in.getBytesUntilLimit() > 0) {
                    readOne.run();
                }
            });
        }
    }

    /** A growable float array, for the rare models that use float_data instead of raw_data. */
    private static final class FloatList {
        private float[] values = new float[16];
        private int size;

        void add(float value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
