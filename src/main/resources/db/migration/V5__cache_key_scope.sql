-- Whose vectors a row holds becomes part of the key. With API keys, each key reads and writes only
-- rows of its own scope, so a cache hit (a fast answer, zero queue and inference time in its
-- headers) never tells one key what another key embedded.
--
--   scope   ''       (zero bytes) an API without keys: every caller shares the rows, as they share
--                    everything else;
--           32 bytes SHA-256 over a fixed label and the SHA-256 of one API key. Neither the key nor
--                    the digest the service checks it against is stored.
--
-- Rows written before this migration get '': an open API keeps its warm cache, and a service with
-- keys, whose rows were shared by every key until now, no longer sees them; they age out.
-- Rebuilding the primary key rewrites its index, which locks the table for as long as that takes.
ALTER TABLE embedding_cache ADD COLUMN scope bytea NOT NULL DEFAULT ''::bytea;
ALTER TABLE embedding_cache ADD CONSTRAINT embedding_cache_scope_length CHECK (octet_length(scope) IN (0, 32));
ALTER TABLE embedding_cache DROP CONSTRAINT embedding_cache_pkey;
ALTER TABLE embedding_cache ADD CONSTRAINT embedding_cache_pkey PRIMARY KEY
    (model_id, revision, pooling, dtype, scope, truncation_length, truncation_direction, input_kind, text_sha256);
