package io.embedserve.inference.encode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The two pickles of a TorchScript archive, written in the subset of pickle protocol 2 that
 * libtorch's JIT unpickler reads (torch/csrc/jit/serialization/unpickler.cpp): {@code data.pkl}
 * holds the module object as GLOBAL class, EMPTY_TUPLE, NEWOBJ, then a dict of every declared
 * attribute (MARK … SETITEMS; the JIT unpickler has no single SETITEM for a fresh dict), BUILD;
 * {@code constants.pkl} holds an empty tuple, since the program uses no tensor constants.
 * Attribute values are plain: booleans, integers, floats, strings and empty lists.
 */
final class ModulePickle {

    private static final int PROTO = 0x80;
    private static final int STOP = '.';
    private static final int GLOBAL = 'c';
    private static final int EMPTY_TUPLE = ')';
    private static final int NEWOBJ = 0x81;
    private static final int EMPTY_DICT = '}';
    private static final int EMPTY_LIST = ']';
    private static final int MARK = '(';
    private static final int SETITEMS = 'u';
    private static final int BUILD = 'b';
    private static final int NEWTRUE = 0x88;
    private static final int NEWFALSE = 0x89;
    private static final int LONG1 = 0x8a;
    private static final int BINFLOAT = 'G';
    private static final int BINUNICODE = 'X';

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private ModulePickle() {
        out.write(PROTO);
        out.write(2);
    }

    /** The module object of class {@code module.className} with these attribute values, in order. */
    static byte[] module(String module, String className, Map<String, Object> attributes) {
        ModulePickle pickle = new ModulePickle();
        pickle.out.write(GLOBAL);
        pickle.ascii(module + "\n" + className + "\n");
        pickle.out.write(EMPTY_TUPLE);
        pickle.out.write(NEWOBJ);
        pickle.out.write(EMPTY_DICT);
        pickle.out.write(MARK);
        attributes.forEach((name, value) -> {
            pickle.string(name);
            pickle.value(name, value);
        });
        pickle.out.write(SETITEMS);
        pickle.out.write(BUILD);
        return pickle.stop();
    }

    /** constants.pkl of a program without tensor constants. */
    static byte[] emptyTuple() {
        ModulePickle pickle = new ModulePickle();
        pickle.out.write(EMPTY_TUPLE);
        return pickle.stop();
    }

    private void value(String name, Object value) {
        if (value instanceof Boolean b) {
            out.write(b ? NEWTRUE : NEWFALSE);
        } else if (value instanceof Integer || value instanceof Long) {
            out.write(LONG1); // the JIT unpickler reads LONG1 only with 8 bytes
            out.write(8);
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(((Number) value).longValue()).array());
        } else if (value instanceof Double d) {
            out.write(BINFLOAT); // big-endian, as pickle stores floats
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(d).array());
        } else if (value instanceof String s) {
            string(s);
        } else if (value instanceof List<?> list && list.isEmpty()) {
            // List[Any] to the unpickler: bind() replaces it with a list typed by the attribute.
            out.write(EMPTY_LIST);
        } else {
            throw new IllegalArgumentException("Attribute " + name + " has a value this pickle cannot hold: " + value);
        }
    }

    private void string(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.write(BINUNICODE);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length).array());
        out.writeBytes(utf8);
    }

    private void ascii(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] stop() {
        out.write(STOP);
        return out.toByteArray();
    }
}
