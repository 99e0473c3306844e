-- Embedding cache (design.md section 4): one row per vector the model would compute again.
--
-- The key holds everything that changes the raw pooled vector: the model snapshot
-- (model_id + revision, the 40-hex commit, never a moving ref), the pooling mode, and
-- truncation (max tokens kept, and which end is cut). The text is keyed by its SHA-256
-- (32 bytes), after any prompt has been prepended, so the cache never stores user text.
-- Normalisation and Matryoshka `dimensions` are applied after a cache read, so they are
-- not part of the key: one row serves every combination of them.
--
-- The vector is bytea holding `dims` little-endian IEEE-754 float32 values (4 * dims bytes),
-- not real[]: 3 KiB for 768 dims instead of real[]'s per-array header and per-element
-- null bitmap handling, no numeric conversion on either side (Java writes it with one
-- ByteBuffer), and bit-exact round trips. The CHECK keeps length and dims consistent.
--
-- last_used_at is updated on cache hits and drives expiry:
-- DELETE ... WHERE last_used_at < now() - interval '...' uses the index below.
CREATE TABLE embedding_cache (
    model_id             text        NOT NULL,
    revision             text        NOT NULL,
    pooling              text        NOT NULL,
    truncation_length    integer     NOT NULL,
    truncation_direction text        NOT NULL,
    text_sha256          bytea       NOT NULL,
    dims                 integer     NOT NULL,
    vector               bytea       NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    last_used_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT embedding_cache_pkey
        PRIMARY KEY (model_id, revision, pooling, truncation_length, truncation_direction, text_sha256),
    CONSTRAINT embedding_cache_text_sha256_length CHECK (octet_length(text_sha256) = 32),
    CONSTRAINT embedding_cache_truncation_length_positive CHECK (truncation_length > 0),
    CONSTRAINT embedding_cache_dims_positive CHECK (dims > 0),
    CONSTRAINT embedding_cache_vector_length CHECK (octet_length(vector) = 4 * dims)
);

CREATE INDEX embedding_cache_last_used_at_idx ON embedding_cache (last_used_at);

-- A float32 vector is incompressible: skip pglz's attempt when a row is TOASTed (768 dims > 2 KiB).
ALTER TABLE embedding_cache ALTER COLUMN vector SET STORAGE EXTERNAL;
