package io.embedserve.config;

import org.slf4j.LoggerFactory;

/** Ends the process with a status, so that the orchestrator restarts it. Tests replace it. */
@FunctionalInterface
public interface ProcessExit {

    void exit(int status, String reason);

    /**
     * System.exit on a thread of its own: the caller may be a thread that the shutdown hooks wait
     * for (the inference worker, which the batch queue joins on close), and System.exit blocks its
     * caller until the hooks have run.
     */
    ProcessExit SYSTEM = (status, reason) -> {
        LoggerFactory.getLogger(ProcessExit.class).error("EmbedServe exits with status {}: {}", status, reason);
        Thread exit = new Thread(() -> System.exit(status), "embedserve-exit");
        exit.setDaemon(false);
        exit.start();
    };
}
