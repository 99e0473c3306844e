package io.embedserve.model.hub;

import io.embedserve.error.ModelLoadException;
import io.embedserve.model.ModelLocation;
import io.embedserve.model.ModelLocator;
import io.embedserve.model.ModelSnapshot;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code fetch [MODEL_ID] [--revision R] [--if-missing] [--progress|--no-progress]}: the jar's
 * fetch mode, which {@code ./embedserve fetch} runs. It reads the same variables as the service
 * (MODEL_ID, MODEL_REVISION, MODEL_PATH, HF_HUB_CACHE, HF_HOME) plus the Hub's (HF_ENDPOINT,
 * HF_TOKEN, HF_HUB_OFFLINE), fetches into the cache the service would read, and ends by locating
 * the model exactly as the service does. Arguments win over the environment.
 *
 * <p>Exit status: 0 done (or, with {@code --if-missing}, nothing to do), 1 failed, 2 bad usage,
 * {@value #EXIT_OFFLINE} the model is missing and the Hub cannot be reached; the last prints one
 * line that says what to run.
 */
public final class FetchCommand {

    static final int EXIT_OFFLINE = 3;
    private static final String USAGE = "usage: fetch [MODEL_ID] [--revision REVISION] [--if-missing]"
            + " [--progress|--no-progress]";

    private FetchCommand() {}

    /** Runs the command; returns the exit status. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println("fetch: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (arguments.help()) {
            out.println(USAGE);
            return 0;
        }
        ModelLocation location = new ModelLocation(env.get("MODEL_PATH"), arguments.modelId(),
                arguments.revision(), env.get("HF_HUB_CACHE"), env.get("HF_HOME"), null);
        String what = location.modelId() + "@" + location.revision();
        if (arguments.ifMissing()) {
            if (location.path() != null) {
                out.println("MODEL_PATH is set (" + location.path() + "): nothing to fetch.");
                return 0;
            }
            try {
                ModelSnapshot present = ModelLocator.locate(location);
                out.println(what + " is in the cache: " + present.directory());
                return 0;
            } catch (ModelLoadException missing) {
                // fetch it below
            }
        }
        Path hubCache = ModelLocator.hubCache(location);
        Path hfHome = location.hfHome() != null ? Path.of(location.hfHome())
                : Path.of(location.userHome(), ".cache", "huggingface");
        HubAccess access = HubAccess.fromEnvironment(env, hfHome);
        if (access.offline()) {
            err.println(unreachable(what, hubCache, location, access, "HF_HUB_OFFLINE is set"));
            return EXIT_OFFLINE;
        }
        out.println("fetching " + what + " from " + access.endpoint() + " into " + hubCache);
        try {
            ModelFetch.Result result = new ModelFetch(new HubClient(access), hubCache,
                    new Progress(out, arguments.progress())).fetch(location.modelId(), location.revision());
            ModelSnapshot located = ModelLocator.locate(location);
            out.println("fetched " + location.modelId() + "@" + result.commit() + " (" + location.revision()
                    + "): " + result.files() + " files, " + Progress.megabytes(result.downloadedBytes())
                    + " downloaded, in " + located.directory());
            return 0;
        } catch (ModelLoadException e) {
            if (isUnreachable(e)) {
                err.println(unreachable(what, hubCache, location, access, "the Hub cannot be reached ("
                        + rootCause(e) + ")"));
                return EXIT_OFFLINE;
            }
            err.println("fetch: " + e.getMessage());
            return 1;
        }
    }

    /** One line: what is missing, why it cannot be fetched here, and what to run where it can. */
    private static String unreachable(String what, Path hubCache, ModelLocation location, HubAccess access,
            String why) {
        return "embedserve: " + what + " is not in " + hubCache + " and " + why + ": on a machine that reaches "
                + access.endpoint() + " run `./embedserve fetch " + location.modelId() + " --revision "
                + location.revision() + "`, then copy its " + hubCache.getFileName() + "/"
                + ModelLocator.repositoryFolder(location.modelId()) + " into " + hubCache
                + " here (or set HF_ENDPOINT to a reachable mirror, or MODEL_PATH to a model folder).";
    }

    private static boolean isUnreachable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof UnresolvedAddressException || cause instanceof HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
