package io.scriptforge.runner.app.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.manifest.AppManifest.Statement;

/**
 * What a statement did.
 *
 * @param statement the variant that ran (its {@code monitor} and {@code name} say whom to tell)
 * @param obj       the effective args by name (see {@link BoundStatement#obj()})
 * @param id        SqlInsert: the new row's id; null when the statement touched no row, and for SqlExec
 * @param rows      SqlExec: the rows sent to the sink; SqlInsert: the rows inserted or changed
 */
public record StatementResult(Statement statement, ObjectNode obj, JsonNode id, long rows) {}
