package io.scriptforge.runner.app.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.manifest.AppManifest;
import io.scriptforge.manifest.AppManifest.Column;
import io.scriptforge.manifest.AppManifest.Constraint;
import io.scriptforge.manifest.AppManifest.Index;
import io.scriptforge.manifest.AppManifest.Table;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.PlatformSecret;
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
 * longer declares, and refuses any change that would lose data.
 *
 * <p>With roles, two transactions: the runner's user prepares the role and schema (which must be
 * committed before the role can log in), then the app's tables are made logged in as the app's
 * role, on its own pool, so the app owns them and no object the app planted in its schema ever
 * runs with the runner's rights. The second is all or nothing. Without roles, one transaction.
 * Migrations of one app, on any replica, take turns: each holds the app's row in the runners' own
 * schema locked (a lock no app can take or hold), and that row says which App owns the name
 * ({@link SchemaClaim}): another App whose name maps to it is refused.
 */
public final class SchemaMigrator {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Migrates {@code schema} to {@code manifest}.
     *
     * @throws SchemaChangeRefused when the manifest would lose data; none of its tables' changes were applied
     * @throws SQLException        when the database refused a step; its message names the step; none of the tables' changes were applied
     */
    public MigrationResult migrate(RunnerDatabase db, AppSchema schema, AppManifest manifest)
            throws SQLException, SchemaChangeRefused {
        boolean roles = db.rolesAllowed();
        // Also prepares the runners' own schema, whose row lock the migration takes.
        PlatformSecret secret = db.platformSecret();
        SchemaSnapshot wanted = SchemaSnapshot.of(manifest);
        List<String> changes = new ArrayList<>();
        try {
            int version;
            if (roles) {
                db.inTransaction(runner -> {
                    DdlSteps steps = new DdlSteps(runner, schema, changes);
                    new SchemaClaim(steps, schema).claim(true);
                    new AppRole(steps, schema).prepare(secret.rolePassword(schema.name()));
                    return null;
                });
                version = db.inTransaction(runner -> {
                    new SchemaClaim(new DdlSteps(runner, schema, changes), schema).claim(true);
                    return db.inApp(
                            schema, app -> new Migration(new DdlSteps(app, schema, changes), schema, wanted).run());
                });
            } else {
                version = db.inTransaction(runner -> {
                    DdlSteps steps = new DdlSteps(runner, schema, changes);
                    new SchemaClaim(steps, schema).claim(false);
                    if (!steps.exists("SELECT 1 FROM pg_namespace WHERE nspname = ?", schema.name())) {
                        steps.ddl("created schema " + schema.name(), "CREATE SCHEMA " + schema.quoted());
                    }
                    return new Migration(steps, schema, wanted).run();
                });
            }
            return new MigrationResult(version, changes, roles);
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

    /** The app's part: internal tables, then its own, on a connection confined to its schema. */
    private static final class Migration {
        private final DdlSteps steps;
        private final Connection connection;
        private final AppSchema schema;
        private final SchemaSnapshot wanted;
        private int changesBefore;

        Migration(DdlSteps steps, AppSchema schema, SchemaSnapshot wanted) {
            this.steps = steps;
            this.connection = steps.connection();
            this.schema = schema;
            this.wanted = wanted;
        }

        int run() throws SQLException {
            try (Statement st = connection.createStatement()) {
                st.execute("SET LOCAL search_path TO " + schema.quoted());
                for (String ddl : InternalTables.DDL) {
                    st.execute(ddl);
                }
            }
            changesBefore = steps.changeCount();
            Applied previous = readApplied();
            ExistingObjects existing = ExistingObjects.read(connection, schema.name());
            SchemaSnapshot before = previous == null ? new SchemaSnapshot(List.of(), List.of()) : previous.snapshot();
            List<String> refusals = refusals(before, existing);
            if (!refusals.isEmpty()) {
                throw new Refusal(new SchemaChangeRefused(refusals));
            }
            for (String sequence : wanted.sequences()) {
                if (!existing.hasRelation(sequence)) {
                    ddl(
                            "created sequence " + SqlNames.folded(sequence),
                            "CREATE SEQUENCE IF NOT EXISTS " + SqlNames.quoted(sequence));
                }
            }
            for (Table table : wanted.tables()) {
                if (existing.hasTable(table.name())) {
                    alterTable(table, before.table(table.name()).orElse(null), existing);
                } else {
                    createTable(table);
                }
            }
            return record(previous);
        }

        private List<String> refusals(SchemaSnapshot before, ExistingObjects existing) {
            List<String> refusals = new ArrayList<>();
            for (Table old : before.tables()) {
                Optional<Table> now = wanted.table(old.name());
                if (now.isEmpty()) {
                    if (existing.hasTable(old.name())) {
                        refusals.add("table '" + old.name()
                                + "' is no longer declared, but it still holds the app's data:"
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
                        refusals.add(
                                where + " is no longer declared, but it still holds the app's data: declare it again"
                                        + " (type '" + oldColumn.type()
                                        + "'), or drop it from the database (ALTER TABLE " + schema.name() + "."
                                        + SqlNames.folded(old.name()) + " DROP COLUMN "
                                        + SqlNames.folded(oldColumn.name()) + ") if its data may go");
                    } else if (!sameSql(column.get().type(), oldColumn.type())) {
                        refusals.add(
                                where + ": its type changed from '" + oldColumn.type() + "' to '"
                                        + column.get().type()
                                        + "', and the runner does not change column types (it could lose data): keep '"
                                        + oldColumn.type()
                                        + "', or declare a new column of the new type and copy the values over with a statement");
                    }
                }
            }
            return refusals;
        }

        private void createTable(Table table) throws SQLException {
            List<String> parts = new ArrayList<>();
            table.columns().forEach(c -> parts.add(SqlNames.quoted(c.name()) + " " + c.type()));
            table.constraints()
                    .forEach(c -> parts.add("CONSTRAINT " + SqlNames.quoted(c.name()) + " " + c.definition()));
            ddl(
                    "created table " + SqlNames.folded(table.name()),
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
                Optional<Constraint> now = table.constraints().stream()
                        .filter(c -> c.name().equalsIgnoreCase(oldConstraint.name()))
                        .findFirst();
                boolean redefined = now.isPresent() && !sameSql(now.get().definition(), oldConstraint.definition());
                if ((now.isEmpty() || redefined) && existing.hasConstraint(table.name(), oldConstraint.name())) {
                    ddl(
                            (redefined ? "redefining" : "dropped") + " constraint "
                                    + SqlNames.folded(oldConstraint.name()) + " on " + name,
                            "ALTER TABLE " + quotedTable + " DROP CONSTRAINT " + SqlNames.quoted(oldConstraint.name()));
                    constraintsGone.add(SqlNames.folded(oldConstraint.name()));
                }
            }
            List<String> indexesGone = new ArrayList<>();
            for (Index oldIndex : oldIndexes) {
                Optional<Index> now = table.indexes().stream()
                        .filter(i -> i.name().equalsIgnoreCase(oldIndex.name()))
                        .findFirst();
                boolean redefined = now.isPresent()
                        && (now.get().unique() != oldIndex.unique()
                                || !sameSql(now.get().columns(), oldIndex.columns()));
                if ((now.isEmpty() || redefined) && existing.hasRelation(oldIndex.name())) {
                    ddl(
                            (redefined ? "redefining" : "dropped") + " index " + SqlNames.folded(oldIndex.name())
                                    + " on " + name,
                            "DROP INDEX IF EXISTS " + SqlNames.quoted(oldIndex.name()));
                    indexesGone.add(SqlNames.folded(oldIndex.name()));
                }
            }
            for (Column column : table.columns()) {
                if (!existing.hasColumn(table.name(), column.name())) {
                    ddl(
                            "added column " + name + "." + SqlNames.folded(column.name()),
                            "ALTER TABLE " + quotedTable + " ADD COLUMN " + SqlNames.quoted(column.name()) + " "
                                    + column.type());
                }
            }
            for (Constraint constraint : table.constraints()) {
                if (!existing.hasConstraint(table.name(), constraint.name())
                        || constraintsGone.contains(SqlNames.folded(constraint.name()))) {
                    ddl(
                            "added constraint " + SqlNames.folded(constraint.name()) + " on " + name,
                            "ALTER TABLE " + quotedTable + " ADD CONSTRAINT " + SqlNames.quoted(constraint.name()) + " "
                                    + constraint.definition());
                }
            }
            for (Index index : table.indexes()) {
                if (!existing.hasRelation(index.name()) || indexesGone.contains(SqlNames.folded(index.name()))) {
                    createIndex(table, index);
                }
            }
        }

        private void createIndex(Table table, Index index) throws SQLException {
            ddl(
                    "created " + (index.unique() ? "unique " : "") + "index " + SqlNames.folded(index.name()) + " on "
                            + SqlNames.folded(table.name()),
                    "CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX IF NOT EXISTS "
                            + SqlNames.quoted(index.name()) + " ON " + SqlNames.quoted(table.name()) + " ("
                            + index.columns() + ")");
        }

        /** Stores the applied schema; a new version only when it differs from the last one or DDL ran on the tables. */
        private int record(Applied previous) throws SQLException {
            JsonNode json = wanted.toJson();
            if (previous != null && previous.json().equals(json) && steps.changeCount() == changesBefore) {
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
                throw new SQLException(
                        "the applied schema in " + schema.name() + ".sf_schema is not readable JSON: "
                                + e.getOriginalMessage(),
                        e);
            }
        }

        private void ddl(String change, String sql) throws SQLException {
            steps.ddl(change, sql);
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
