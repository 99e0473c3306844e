package io.embedserve.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} flags for the benchmark mains. Unknown flags fail at once, so that a typo
 * in a measurement command never silently measures the default.
 */
final class BenchArgs {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> defaults;

    private BenchArgs(Map<String, String> defaults) {
        this.defaults = defaults;
    }

    /** Flag names and default values, alternating, in the order the report header lists them. */
    static Map<String, String> defaults(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    /** @param defaults every accepted flag (without {@code --}) with its default value */
    static BenchArgs parse(String[] args, Map<String, String> defaults, String usage) {
        return parse(args, defaults, Set.of(), usage);
    }

    /**
     * @param defaults every accepted flag (without {@code --}) with its default value
     * @param switches flags among them that take no value: given, they are "true"
     */
    static BenchArgs parse(String[] args, Map<String, String> defaults, Set<String> switches, String usage) {
        BenchArgs parsed = new BenchArgs(defaults);
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                System.out.println(usage);
                System.exit(0);
            }
            String name = flag.startsWith("--") ? flag.substring(2) : null;
            if (name != null && switches.contains(name)) {
                parsed.values.put(name, "true");
                continue;
            }
            if (name == null || !defaults.containsKey(name) || i + 1 >= args.length) {
                System.err.println("Bad argument '" + flag + "' (flags need a value). " + usage);
                System.exit(2);
            }
            parsed.values.put(name, args[++i]);
        }
        return parsed;
    }

    String string(String name) {
        if (!defaults.containsKey(name)) {
            throw new IllegalArgumentException("undeclared flag " + name);
        }
        return values.getOrDefault(name, defaults.get(name));
    }

    boolean given(String name) {
        return values.containsKey(name);
    }

    boolean bool(String name) {
        return Boolean.parseBoolean(string(name));
    }

    int integer(String name) {
        return Integer.parseInt(string(name));
    }

    double number(String name) {
        return Double.parseDouble(string(name));
    }

    Path path(String name) {
        String value = string(name);
        return value.isEmpty() ? null : Path.of(value);
    }

    /** A comma-separated value, each element checked against {@code allowed} (empty: anything). */
    List<String> list(String name, Set<String> allowed) {
        List<String> items = Arrays.stream(string(name).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String item : items) {
            if (!allowed.isEmpty() && !allowed.contains(item)) {
                throw new IllegalArgumentException("--" + name + " accepts " + allowed + ", not '" + item + "'");
            }
        }
        return items;
    }

    List<Integer> integers(String name) {
        return list(name, Set.of()).stream().map(Integer::valueOf).toList();
    }

    /** The effective settings, for the report header: a result is only as good as its command. */
    String describe() {
        StringBuilder out = new StringBuilder();
        defaults.keySet().forEach(k -> out.append(" --").append(k).append(' ').append(string(k).isEmpty() ? "''" : string(k)));
        return out.toString().trim();
    }
}
