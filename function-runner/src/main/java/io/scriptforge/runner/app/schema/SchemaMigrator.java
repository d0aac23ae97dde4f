package io.scriptforge.runner.app.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.crd.manifest.AppManifest;
import io.scriptforge.crd.manifest.AppManifest.Column;
import io.scriptforge.crd.manifest.AppManifest.Constraint;
import io.scriptforge.crd.manifest.AppManifest.Index;
import io.scriptforge.crd.manifest.AppManifest.Table;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Brings an app's schema to what its manifest declares: creates the schema (and, where allowed, the
 * app's own role owning it), the platform's internal tables, and the app's sequences, tables,
 * columns, constraints and indexes. Adds what is new, drops only indexes and constraints the app no
 * longer declares, and refuses any change that would lose data. One transaction: all or nothing.
 */
public final class SchemaMigrator {
    /** First key of our advisory locks, so they never meet another component's. ("SFMG") */
    private static final int LOCK_CLASS = 0x53464d47;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Migrates {@code schema} to {@code manifest}. Runners migrating the same app at once take turns.
     *
     * @throws SchemaChangeRefused when the manifest would lose data; nothing was applied
     * @throws SQLException        when the database refused a step; its message names the step; nothing was applied
     */
    public MigrationResult migrate(RunnerDatabase db, AppSchema schema, AppManifest manifest) throws SQLException, SchemaChangeRefused {
        boolean roles = db.rolesAllowed();
        try {
            return db.inTransaction(connection -> new Migration(connection, schema, SchemaSnapshot.of(manifest), roles).run());
        } catch (Refusal refusal) {
            throw refusal.refused;
        }
    }

    /** Carries the checked refusal out of the transaction (which then rolls back). */
    private static final class Refusal extends RuntimeException {
        final SchemaChangeRefused refused;

        Refusal(SchemaChangeRefused refused) {
            super(refused.getMessage(), null, false, false);
            this.refused = refused;
        }
    }

    private record Applied(int version, JsonNode json, SchemaSnapshot snapshot) {}

    private static final class Migration {
        private final Connection connection;
        private final AppSchema schema;
        private final SchemaSnapshot wanted;
        private final boolean roles;
        private final List<String> changes = new ArrayList<>();

        Migration(Connection connection, AppSchema schema, SchemaSnapshot wanted, boolean roles) {
            this.connection = connection;
            this.schema = schema;
            this.wanted = wanted;
            this.roles = roles;
        }

        MigrationResult run() throws SQLException {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                lock.setInt(1, LOCK_CLASS);
                lock.setString(2, schema.name());
                lock.execute();
            }
            prepareSchema();
            try (Statement st = connection.createStatement()) {
                if (roles) {
                    // Everything from here on is created by, and so owned by, the app's role.
                    st.execute("SET LOCAL ROLE " + schema.quoted());
                }
                st.execute("SET LOCAL search_path TO " + schema.quoted());
                for (String ddl : InternalTables.DDL) {
                    st.execute(ddl);
                }
            }
            Applied previous = readApplied();
            ExistingObjects existing = ExistingObjects.read(connection, schema.name());
            SchemaSnapshot before = previous == null ? new SchemaSnapshot(List.of(), List.of()) : previous.snapshot();
            List<String> refusals = refusals(before, existing);
            if (!refusals.isEmpty()) {
                throw new Refusal(new SchemaChangeRefused(refusals));
            }
            for (String sequence : wanted.sequences()) {
                if (!existing.hasRelation(sequence)) {
                    ddl("created sequence " + SqlNames.folded(sequence), "CREATE SEQUENCE IF NOT EXISTS " + SqlNames.quoted(sequence));
                }
            }
            for (Table table : wanted.tables()) {
                if (existing.hasTable(table.name())) {
                    alterTable(table, before.table(table.name()).orElse(null), existing);
                } else {
                    createTable(table);
                }
            }
            return new MigrationResult(record(previous), changes, roles);
        }

        /** The schema, and where allowed the role of the same name that owns it and nobody else may use. */
        private void prepareSchema() throws SQLException {
            if (!exists("SELECT 1 FROM pg_namespace WHERE nspname = ?", schema.name())) {
                ddl("created schema " + schema.name(), "CREATE SCHEMA " + schema.quoted());
            }
            if (!roles) {
                return;
            }
            if (!exists("SELECT 1 FROM pg_roles WHERE rolname = ?", schema.name())) {
                ddl("created role " + schema.name(), "CREATE ROLE " + schema.quoted() + " NOLOGIN");
            }
            // SET ROLE needs the right to it; a superuser has it already, a CREATEROLE user gets it here.
            String right = connection.getMetaData().getDatabaseMajorVersion() >= 16 ? "SET" : "MEMBER";
            if (!exists("SELECT 1 WHERE pg_has_role(current_user, ?, '" + right + "')", schema.name())) {
                ddl("granted role " + schema.name() + " to the runner", "GRANT " + schema.quoted() + " TO CURRENT_USER");
            }
            if (!exists("SELECT 1 FROM pg_namespace WHERE nspname = ? AND pg_get_userbyid(nspowner) = nspname", schema.name())) {
                ddl("schema " + schema.name() + " owned by its role", "ALTER SCHEMA " + schema.quoted() + " OWNER TO " + schema.quoted());
            }
            try (Statement st = connection.createStatement()) {
                st.execute("REVOKE ALL ON SCHEMA " + schema.quoted() + " FROM PUBLIC");
            }
        }

        private List<String> refusals(SchemaSnapshot before, ExistingObjects existing) {
            List<String> refusals = new ArrayList<>();
            for (Table old : before.tables()) {
                Optional<Table> now = wanted.table(old.name());
                if (now.isEmpty()) {
                    if (existing.hasTable(old.name())) {
                        refusals.add("table '" + old.name() + "' is no longer declared, but it still holds the app's data:"
                                + " declare it again, or drop it from the database (DROP TABLE " + schema.name() + "."
                                + SqlNames.folded(old.name()) + ") if its data may go");
                    }
                    continue;
                }
                for (Column oldColumn : old.columns()) {
                    if (!existing.hasColumn(old.name(), oldColumn.name())) {
                        continue;
                    }
                    Optional<Column> column = SchemaSnapshot.column(now.get(), oldColumn.name());
                    String where = "table '" + old.name() + "', column '" + oldColumn.name() + "'";
                    if (column.isEmpty()) {
                        refusals.add(where + " is no longer declared, but it still holds the app's data: declare it again"
                                + " (type '" + oldColumn.type() + "'), or drop it from the database (ALTER TABLE " + schema.name() + "."
                                + SqlNames.folded(old.name()) + " DROP COLUMN " + SqlNames.folded(oldColumn.name()) + ") if its data may go");
                    } else if (!sameSql(column.get().type(), oldColumn.type())) {
                        refusals.add(where + ": its type changed from '" + oldColumn.type() + "' to '" + column.get().type()
                                + "', and the runner does not change column types (it could lose data): keep '" + oldColumn.type()
                                + "', or declare a new column of the new type and copy the values over with a statement");
                    }
                }
            }
            return refusals;
        }

        private void createTable(Table table) throws SQLException {
            List<String> parts = new ArrayList<>();
            table.columns().forEach(c -> parts.add(SqlNames.quoted(c.name()) + " " + c.type()));
            table.constraints().forEach(c -> parts.add("CONSTRAINT " + SqlNames.quoted(c.name()) + " " + c.definition()));
            ddl("created table " + SqlNames.folded(table.name()),
                    "CREATE TABLE " + SqlNames.quoted(table.name()) + " (" + String.join(", ", parts) + ")");
            for (Index index : table.indexes()) {
                createIndex(table, index);
            }
        }

        /** Adds new columns, constraints and indexes; drops the constraints and indexes no longer declared or redefined. */
        private void alterTable(Table table, Table old, ExistingObjects existing) throws SQLException {
            String name = SqlNames.folded(table.name());
            String quotedTable = SqlNames.quoted(table.name());
            List<Constraint> oldConstraints = old == null ? List.of() : old.constraints();
            List<Index> oldIndexes = old == null ? List.of() : old.indexes();
            List<String> constraintsGone = new ArrayList<>();
            for (Constraint oldConstraint : oldConstraints) {
                Optional<Constraint> now = table.constraints().stream().filter(c -> c.name().equalsIgnoreCase(oldConstraint.name())).findFirst();
                boolean redefined = now.isPresent() && !sameSql(now.get().definition(), oldConstraint.definition());
                if ((now.isEmpty() || redefined) && existing.hasConstraint(table.name(), oldConstraint.name())) {
                    ddl((redefined ? "redefining" : "dropped") + " constraint " + SqlNames.folded(oldConstraint.name()) + " on " + name,
                            "ALTER TABLE " + quotedTable + " DROP CONSTRAINT " + SqlNames.quoted(oldConstraint.name()));
                    constraintsGone.add(SqlNames.folded(oldConstraint.name()));
                }
            }
            List<String> indexesGone = new ArrayList<>();
            for (Index oldIndex : oldIndexes) {
                Optional<Index> now = table.indexes().stream().filter(i -> i.name().equalsIgnoreCase(oldIndex.name())).findFirst();
                boolean redefined = now.isPresent() && (now.get().unique() != oldIndex.unique() || !sameSql(now.get().columns(), oldIndex.columns()));
                if ((now.isEmpty() || redefined) && existing.hasRelation(oldIndex.name())) {
                    ddl((redefined ? "redefining" : "dropped") + " index " + SqlNames.folded(oldIndex.name()) + " on " + name,
                            "DROP INDEX IF EXISTS " + SqlNames.quoted(oldIndex.name()));
                    indexesGone.add(SqlNames.folded(oldIndex.name()));
                }
            }
            for (Column column : table.columns()) {
                if (!existing.hasColumn(table.name(), column.name())) {
                    ddl("added column " + name + "." + SqlNames.folded(column.name()),
                            "ALTER TABLE " + quotedTable + " ADD COLUMN " + SqlNames.quoted(column.name()) + " " + column.type());
                }
            }
            for (Constraint constraint : table.constraints()) {
                if (!existing.hasConstraint(table.name(), constraint.name()) || constraintsGone.contains(SqlNames.folded(constraint.name()))) {
                    ddl("added constraint " + SqlNames.folded(constraint.name()) + " on " + name,
                            "ALTER TABLE " + quotedTable + " ADD CONSTRAINT " + SqlNames.quoted(constraint.name()) + " " + constraint.definition());
                }
            }
            for (Index index : table.indexes()) {
                if (!existing.hasRelation(index.name()) || indexesGone.contains(SqlNames.folded(index.name()))) {
                    createIndex(table, index);
                }
            }
        }

        private void createIndex(Table table, Index index) throws SQLException {
            ddl("created " + (index.unique() ? "unique " : "") + "index " + SqlNames.folded(index.name()) + " on " + SqlNames.folded(table.name()),
                    "CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX IF NOT EXISTS " + SqlNames.quoted(index.name())
                            + " ON " + SqlNames.quoted(table.name()) + " (" + index.columns() + ")");
        }

        /** Stores the applied schema; a new version only when it differs from the last one or DDL ran. */
        private int record(Applied previous) throws SQLException {
            JsonNode json = wanted.toJson();
            if (previous != null && previous.json().equals(json) && changes.isEmpty()) {
                return previous.version();
            }
            int version = previous == null ? 1 : previous.version() + 1;
            try (PreparedStatement st = connection.prepareStatement(
                    "INSERT INTO sf_schema (id, version, manifest) VALUES (1, ?, ?::jsonb)"
                            + " ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, manifest = EXCLUDED.manifest, applied_at = now()")) {
                st.setInt(1, version);
                st.setString(2, json.toString());
                st.executeUpdate();
            }
            return version;
        }

        private Applied readApplied() throws SQLException {
            try (Statement st = connection.createStatement();
                 ResultSet rs = st.executeQuery("SELECT version, manifest::text FROM sf_schema WHERE id = 1")) {
                if (!rs.next()) {
                    return null;
                }
                JsonNode json = JSON.readTree(rs.getString(2));
                return new Applied(rs.getInt(1), json, SchemaSnapshot.fromJson(json));
            } catch (JsonProcessingException e) {
                throw new SQLException("the applied schema in " + schema.name() + ".sf_schema is not readable JSON: " + e.getOriginalMessage(), e);
            }
        }

        private boolean exists(String sql, String parameter) throws SQLException {
            try (PreparedStatement st = connection.prepareStatement(sql)) {
                st.setString(1, parameter);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next();
                }
            }
        }

        /** Runs one step; a failure names the step and, where we can tell, what to change. */
        private void ddl(String change, String sql) throws SQLException {
            try (Statement st = connection.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                throw new SQLException("app " + schema.appName() + ": " + sql + " failed: " + e.getMessage() + hint(e), e.getSQLState(), e);
            }
            changes.add(change);
        }

        private static String hint(SQLException e) {
            return switch (String.valueOf(e.getSQLState())) {
                case "23502" -> " (a NOT NULL column added to a table that has rows needs a DEFAULT)";
                case "23505", "23514", "23503" -> " (the rows already in the table do not satisfy it: fix them first)";
                default -> "";
            };
        }
    }

    /** Same SQL text, ignoring case and whitespace: {@code varchar(20)} equals {@code VARCHAR (20)}. */
    static boolean sameSql(String a, String b) {
        return normalized(a).equals(normalized(b));
    }

    private static String normalized(String sql) {
        return sql.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }
}
