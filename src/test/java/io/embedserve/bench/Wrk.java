package io.embedserve.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs wrk with bench/wrk-corpus.lua: one client thread (the servers get the other cores), a
 * given number of keep-alive connections, one body of the file per request. The timeout is
 * generous so that a slow answer counts as slow, not as a socket error.
 */
final class Wrk {

    private static final int TIMEOUT_SECONDS = 30;

    private final Path script;

    Wrk(Path script) {
        this.script = script;
    }

    /** Fails at once, before any server starts, when wrk is missing. */
    static void requireInstalled() {
        try {
            new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("wrk is not installed (Debian: apt-get install wrk)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** wrk's version line, for the report header. */
    static String version() {
        try {
            Process wrk = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            String first = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("wrk");
            wrk.waitFor();
            return first.replaceAll(" Copyright.*", "");
        } catch (IOException e) {
            return "wrk (version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "wrk";
        }
    }

    WrkResult run(URI server, Path bodies, int connections, int seconds) {
        List<String> command = List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s",
                "--timeout", TIMEOUT_SECONDS + "s", "-s", script.toString(), server.toString(), "--", bodies.toString());
        try {
            Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = wrk.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exit + ":\n" + output);
            }
            return WrkResult.parse(output, connections);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while wrk ran", e);
        }
    }
}
