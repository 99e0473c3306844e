-- The service's only UPDATE is the refresh of last_used_at when a row is hit (what expiry reads to
-- find the least recently used rows). Narrow the app role's UPDATE from the whole table to that
-- one column, so that a compromised or buggy service can age a row but never rewrite a stored
-- vector, its key or its created_at. A row that should change is deleted and inserted again.
-- (WHERE clauses still read the key columns, which SELECT allows.)
REVOKE UPDATE ON embedding_cache FROM ${app_db_user};
GRANT UPDATE (last_used_at) ON embedding_cache TO ${app_db_user};
