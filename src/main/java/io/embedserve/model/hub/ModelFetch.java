package io.embedserve.model.hub;

import io.embedserve.error.ModelLoadException;
import io.embedserve.model.ModelSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fetches the files the service reads of one revision into the hub cache. Every file is
 * downloaded and verified into {@code blobs/} before the snapshot links are made, and the ref is
 * written last: a fetch that fails or is killed leaves no ref pointing at a half snapshot, only
 * {@code .incomplete} files the next run continues from. Blobs already in the cache (from an
 * earlier fetch or from huggingface_hub) are not downloaded again.
 */
final class ModelFetch {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HubClient hub;
    private final Path hubCache;
    private final Progress progress;

    ModelFetch(HubClient hub, Path hubCache, Progress progress) {
        this.hub = hub;
        this.hubCache = hubCache;
        this.progress = progress;
    }

    /** What a fetch left in the cache. */
    record Result(String commit, Path snapshot, int files, long downloadedBytes) {}

    Result fetch(String repoId, String revision) {
        String what = repoId + "@" + revision;
        CacheFolder.requireSafePath(repoId, "The model id " + repoId);
        CacheFolder.requireSafePath(revision, "The revision " + revision);
        RepoRevision listing = hub.revision(repoId, revision);
        CacheFolder cache = new CacheFolder(hubCache, repoId);
        ServiceFiles selection = new ServiceFiles(what, listing);
        try {
            long downloaded = 0;
            for (RepoFile file : selection.descriptors()) {
                downloaded += ensureBlob(repoId, listing.commit(), file, cache);
            }
            List<RepoFile> files = selection.all(
                    readJson(listing, ServiceFiles.MODULES, cache), readJson(listing, ServiceFiles.WEIGHTS_INDEX, cache));
            for (RepoFile file : files) {
                downloaded += ensureBlob(repoId, listing.commit(), file, cache);
            }
            for (RepoFile file : files) {
                cache.link(listing.commit(), file);
            }
            if (!ModelSnapshot.isCommit(revision)) {
                cache.writeRef(revision, listing.commit());
            }
            return new Result(listing.commit(), cache.snapshot(listing.commit()), files.size(), downloaded);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot write " + what + " into " + cache.folder() + ": " + e, e);
        }
    }

    /** Downloads and verifies {@code file} unless its blob is present; returns the bytes downloaded. */
    private long ensureBlob(String repoId, String commit, RepoFile file, CacheFolder cache) throws IOException {
        if (cache.hasBlob(file)) {
            return 0;
        }
        Path incomplete = cache.incomplete(file);
        Files.createDirectories(incomplete.getParent());
        long before = Files.isRegularFile(incomplete) ? Files.size(incomplete) : 0;
        hub.download(repoId, commit, file, incomplete, progress);
        String actual = ContentCheck.mismatch(file, incomplete);
        if (actual != null) {
            Files.delete(incomplete);
            throw new ModelLoadException(file.path() + " of " + repoId + "@" + commit + " does not match the "
                    + (file.isLfs() ? "sha256 " + file.sha256() : "git blob id " + file.blobId())
                    + " the Hub lists for it (the download hashes to " + actual + "). It was deleted; run the"
                    + " command again, and if this repeats, the server (HF_ENDPOINT, a proxy) serves other bytes.");
        }
        cache.publishBlob(file);
        return file.size() - Math.min(before, file.size());
    }

    private static JsonNode readJson(RepoRevision listing, String name, CacheFolder cache) {
        RepoFile file = listing.file(name);
        if (file == null || !Files.isRegularFile(cache.blob(file))) {
            return null;
        }
        try {
            return JSON.readTree(Files.readAllBytes(cache.blob(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JacksonException e) {
            throw new ModelLoadException(name + " of the fetched revision is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
