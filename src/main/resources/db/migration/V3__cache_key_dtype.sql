-- DTYPE (float32 | bfloat16 | int8) changes the vectors the model computes, so it becomes part of
-- the key. Every row written before this migration was computed in float32, the only precision
-- there was, hence the default.
ALTER TABLE embedding_cache ADD COLUMN dtype text NOT NULL DEFAULT 'float32';
ALTER TABLE embedding_cache ADD CONSTRAINT embedding_cache_dtype_known CHECK (dtype IN ('float32', 'bfloat16', 'int8'));
ALTER TABLE embedding_cache DROP CONSTRAINT embedding_cache_pkey;
ALTER TABLE embedding_cache ADD CONSTRAINT embedding_cache_pkey PRIMARY KEY
    (model_id, revision, pooling, dtype, truncation_length, truncation_direction, input_kind, text_sha256);
