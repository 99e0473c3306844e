-- Embedding cache: raw pooled vectors that the model would otherwise
-- compute again, shared by every replica.
--
-- Key: everything that changes a raw pooled vector.
--   model_id, revision     the model snapshot; revision is the 40-hex commit for a hub snapshot,
--                          or "sha256:<hex>" of the model files for a plain MODEL_PATH directory,
--                          never a moving ref like "main".
--   pooling                mean | cls | max | lasttoken.
--   truncation_length,     the token limit and the end that was cut (TEI's wire words
--   truncation_direction   'right' / 'left').
--   input_kind, text_sha256
--                          'text': SHA-256 of the UTF-8 text as tokenized (prompt included);
--                          'ids':  SHA-256 of the client's token ids after truncation (little-endian
--                          int64 each). The kind is part of the key so that a text and an id list
--                          can never share a row even if their bytes were to hash alike. Only
--                          the hash is stored, never the text.
-- Normalisation and `dimensions` are applied after a read, so they are not part of the key:
-- one row serves every combination of them.
--
-- Value: `vector` holds `dims` IEEE-754 float32 values, little-endian, 4 * dims bytes. Not real[]:
-- it is the most compact form (3 KiB for 768 dims, no array header or per-element handling), the
-- service reads and writes it with one ByteBuffer, and it round-trips bit for bit, so a cache hit
-- is exactly the vector the model computed.
--
-- input_kind defaults to 'text' only so that hand-written rows (tools, older tests) stay valid;
-- the service always writes it explicitly.
CREATE TABLE embedding_cache (
    model_id             text        NOT NULL,
    revision             text        NOT NULL,
    pooling              text        NOT NULL,
    truncation_length    integer     NOT NULL,
    truncation_direction text        NOT NULL,
    input_kind           text        NOT NULL DEFAULT 'text',
    text_sha256          bytea       NOT NULL,
    dims                 integer     NOT NULL,
    vector               bytea       NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    last_used_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT embedding_cache_pkey PRIMARY KEY
        (model_id, revision, pooling, truncation_length, truncation_direction, input_kind, text_sha256),
    CONSTRAINT embedding_cache_truncation_length_positive CHECK (truncation_length > 0),
    CONSTRAINT embedding_cache_truncation_direction_known CHECK (truncation_direction IN ('right', 'left')),
    CONSTRAINT embedding_cache_input_kind_known CHECK (input_kind IN ('text', 'ids')),
    CONSTRAINT embedding_cache_text_sha256_length CHECK (octet_length(text_sha256) = 32),
    CONSTRAINT embedding_cache_dims_positive CHECK (dims > 0),
    CONSTRAINT embedding_cache_vector_length CHECK (octet_length(vector) = 4 * dims)
);

-- Expiry deletes by age (last_used_at < now() - max age) and trims to a row budget (oldest
-- last_used_at first); both walk this index instead of the table.
CREATE INDEX embedding_cache_last_used_at_idx ON embedding_cache (last_used_at);

-- float32 noise does not compress: spare pglz the attempt when a vector is stored out of line.
ALTER TABLE embedding_cache ALTER COLUMN vector SET STORAGE EXTERNAL;
