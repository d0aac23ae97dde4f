package io.scriptforge.runner.app.schema;

import java.util.List;

/**
 * The platform's own tables inside each app's schema (names start with {@code sf_}, which app
 * tables may not use): the applied manifest, config values, dbfiles and the live sessions whose
 * dbfiles keys any replica must accept.
 */
public final class InternalTables {
    private InternalTables() {}

    public static final List<String> DDL = List.of(
            "CREATE TABLE IF NOT EXISTS sf_schema (id INT PRIMARY KEY DEFAULT 1 CHECK (id = 1), version INT NOT NULL,"
                    + " manifest JSONB NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
            "CREATE TABLE IF NOT EXISTS sf_config (name TEXT PRIMARY KEY, value JSONB NOT NULL, modified TIMESTAMPTZ NOT NULL DEFAULT now())",
            "CREATE TABLE IF NOT EXISTS sf_dbfiles (id BIGSERIAL PRIMARY KEY, store TEXT NOT NULL, folder TEXT NOT NULL,"
                    + " name TEXT NOT NULL, size BIGINT NOT NULL DEFAULT 0, created BIGINT NOT NULL, modified BIGINT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS sf_dbfiles_folder ON sf_dbfiles (store, folder, id)",
            "CREATE TABLE IF NOT EXISTS sf_dbfiles_chunks (file_id BIGINT NOT NULL REFERENCES sf_dbfiles (id) ON DELETE CASCADE,"
                    + " seq INT NOT NULL, data BYTEA NOT NULL, PRIMARY KEY (file_id, seq))",
            "CREATE TABLE IF NOT EXISTS sf_sessions (key TEXT PRIMARY KEY, runner TEXT NOT NULL, seen TIMESTAMPTZ NOT NULL DEFAULT now())",
            // The reference download URLs carry (DownloadGrant.sessionRef), so a URL dies with its session.
            "ALTER TABLE sf_sessions ADD COLUMN IF NOT EXISTS download_ref TEXT",
            "CREATE INDEX IF NOT EXISTS sf_sessions_download_ref ON sf_sessions (download_ref)");
}
