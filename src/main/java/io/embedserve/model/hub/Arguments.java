package io.embedserve.model.hub;

import java.util.List;
import java.util.Map;

/**
 * The fetch command's arguments, over the environment's MODEL_ID and MODEL_REVISION.
 *
 * @param modelId the repository id, or null for the environment's or the service's default
 * @param revision the branch, tag or commit, or null for the environment's or "main"
 * @param ifMissing fetch only when the service could not find the model as things are
 * @param progress redraw a progress line in place (for a terminal)
 * @param help print the usage and do nothing else
 */
record Arguments(String modelId, String revision, boolean ifMissing, boolean progress, boolean help) {

    static Arguments parse(String[] args, Map<String, String> env) {
        String modelId = env.get("MODEL_ID");
        String revision = env.get("MODEL_REVISION");
        boolean positional = false;
        boolean ifMissing = false;
        boolean progress = System.console() != null;
        boolean help = false;
        List<String> list = List.of(args);
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            if (arg.equals("--revision")) {
                if (i + 1 == list.size()) {
                    throw new IllegalArgumentException("--revision needs a value");
                }
                revision = list.get(++i);
            } else if (arg.startsWith("--revision=")) {
                revision = arg.substring("--revision=".length());
            } else if (arg.equals("--if-missing")) {
                ifMissing = true;
            } else if (arg.equals("--progress") || arg.equals("--no-progress")) {
                progress = arg.equals("--progress");
            } else if (arg.equals("-h") || arg.equals("--help")) {
                help = true;
            } else if (arg.startsWith("-") || positional) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            } else {
                modelId = arg;
                positional = true;
            }
        }
        return new Arguments(modelId, revision, ifMissing, progress, help);
    }
}
