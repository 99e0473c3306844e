package io.embedserve.bench;

/**
 * Reads /proc/self/status on a daemon thread every few milliseconds and keeps the sample with the
 * highest RSS, so that a short-lived peak during a load is seen even if VmHWM were unavailable.
 */
final class RssSampler implements Runnable {

    private final long intervalMillis;
    private volatile boolean running = true;
    private volatile ProcStatus peak = ProcStatus.read();
    private volatile int samples;
    private Thread thread;

    private RssSampler(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    static RssSampler start(long intervalMillis) {
        RssSampler sampler = new RssSampler(intervalMillis);
        sampler.thread = new Thread(sampler, "rss-sampler");
        sampler.thread.setDaemon(true);
        sampler.thread.start();
        return sampler;
    }

    @Override
    public void run() {
        while (running) {
            ProcStatus now = ProcStatus.read();
            samples++;
            if (now.vmRss() > peak.vmRss()) {
                peak = now;
            }
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops sampling after one last sample. */
    void stop() throws InterruptedException {
        running = false;
        thread.join();
        ProcStatus last = ProcStatus.read();
        if (last.vmRss() > peak.vmRss()) {
            peak = last;
        }
    }

    ProcStatus peak() {
        return peak;
    }

    int samples() {
        return samples;
    }
}
