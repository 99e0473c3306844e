package io.embedserve.inference.encode;

import ai.djl.engine.EngineException;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import io.embedserve.error.ModelLoadException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript archive as {@code torch.jit.save} lays it out and libtorch's reader expects it
 * (caffe2/serialize/inline_container.cc, torch/csrc/jit/serialization/import.cpp): a zip whose
 * entries all sit in one folder (its name is free; the first entry fixes it), holding
 * {@code version}, {@code byteorder}, {@code constants.pkl}, {@code data.pkl} and the source
 * of the module's class in {@code code/__torch__.py}. The program has no tensor data, so there
 * is no {@code data/} folder: the weights are bound after loading.
 */
final class TorchScriptArchive {

    /**
     * The file-format version the source is written for. Version 10 is the newest libtorch 2.x
     * reads; an older number would make the importer rewrite operators whose signature changed
     * since (e.g. gelu's {@code approximate}) through its upgraders.
     */
    static final int FILE_FORMAT_VERSION = 10;

    private static final String FOLDER = "encoder/";

    private TorchScriptArchive() {}

    /**
     * Writes the archive and has libtorch compile it into a module owned by {@code manager}. A line
     * of the source that libtorch refuses comes back quoted in the exception.
     *
     * @param sourceName what to call the source in that exception
     */
    static PtSymbolBlock load(String className, String sourceName, String source, Map<String, Object> attributes,
            PtNDManager manager) {
        try (InputStream in = new ByteArrayInputStream(write(className, source, attributes))) {
            return JniUtils.loadModule(manager, in, true, false);
        } catch (EngineException e) {
            throw new ModelLoadException("libtorch refused the program " + sourceName + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param className the module's class, defined in {@code source}
     * @param source TorchScript source defining {@code class <className>(Module)}
     * @param attributes the value of every attribute the class declares
     */
    static byte[] write(String className, String source, Map<String, Object> attributes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            entry(zip, "version", (FILE_FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
            entry(zip, "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            entry(zip, "data.pkl", ModulePickle.module("__torch__", className, attributes));
            entry(zip, "constants.pkl", ModulePickle.emptyTuple());
            entry(zip, "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Stored, not deflated, like torch.jit.save's records. */
    private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(FOLDER + name);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
