package io.embedserve.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A compose file as compose reads it (anchors and merge keys resolved), with {@code ${VAR:-default}}
 * resolved to its default the way compose does when the variable is unset: what the Kubernetes
 * manifests must agree with.
 */
final class ComposeFile {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?-([^}]*))?(?::?\\?[^}]*)?}");

    private final Map<String, Object> services;

    private ComposeFile(Map<String, Object> services) {
        this.services = services;
    }

    static ComposeFile read(String file) {
        try {
            Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(Files.readString(Shell.PROJECT.resolve(file)));
            return new ComposeFile(map(root.get("services")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, Object> service(String name) {
        return map(services.get(name));
    }

    boolean hasService(String name) {
        return services.containsKey(name);
    }

    /** The service's image with variables at their defaults. */
    String image(String name) {
        return withDefaults(String.valueOf(service(name).get("image")));
    }

    /** The service's environment as written (list or mapping form). */
    Map<String, String> environment(String name) {
        Object environment = service(name).get("environment");
        Map<String, String> parsed = new LinkedHashMap<>();
        if (environment instanceof List<?> entries) {
            for (Object entry : entries) {
                String text = String.valueOf(entry);
                parsed.put(text.substring(0, text.indexOf('=')), text.substring(text.indexOf('=') + 1));
            }
        } else if (environment instanceof Map<?, ?> mapping) {
            mapping.forEach((key, value) -> parsed.put(String.valueOf(key), String.valueOf(value)));
        }
        return parsed;
    }

    /** ${VAR:-default} and ${VAR-default} become the default; ${VAR:?message} becomes empty. */
    static String withDefaults(String text) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(matcher.group(2) == null ? "" : matcher.group(2)));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new AssertionError("expected a mapping, got " + value);
        }
        return (Map<String, Object>) value;
    }
}
