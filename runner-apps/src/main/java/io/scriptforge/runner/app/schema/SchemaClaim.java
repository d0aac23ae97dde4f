package io.scriptforge.runner.app.schema;

import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.PlatformSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * An App's hold on its schema name, in the runners' own table (out of every app's reach): the first App
 * to use a name owns it, and any other App whose name came out the same is refused, never served the
 * owner's schema, role, sessions or files. Claiming also locks the row until the transaction ends, which
 * is what makes migrations of one App, on any replica, take turns.
 *
 * <p>Schemas named before names were injective ({@link AppSchema#legacyName}) move to the new name with
 * their role and data on the App's first start. Two Apps that shared a legacy name shared its schema; the
 * first of them to start takes it, the other starts empty.
 */
final class SchemaClaim {
    private static final String TABLE = PlatformSchema.APP_SCHEMAS;

    private final DdlSteps steps;
    private final AppSchema schema;

    SchemaClaim(DdlSteps steps, AppSchema schema) {
        this.steps = steps;
        this.schema = schema;
    }

    /**
     * Claims the name (moving a legacy schema first when there is one) and holds its row locked.
     *
     * @param roles whether the App has a role of its own to move with its schema
     * @throws SchemaTaken when another App owns the name
     */
    void claim(boolean roles) throws SQLException {
        Connection runner = steps.connection();
        if (!schema.legacyName().equals(schema.name())) {
            moveLegacy(runner, roles);
        }
        try (PreparedStatement add =
                runner.prepareStatement("INSERT INTO " + TABLE + " (schema_name, app_namespace, app_name)"
                        + " VALUES (?, ?, ?) ON CONFLICT (schema_name) DO NOTHING")) {
            add.setString(1, schema.name());
            add.setString(2, schema.namespace());
            add.setString(3, schema.app());
            add.executeUpdate();
        }
        Owner owner = lockedOwner(runner, schema.name())
                .orElseThrow(() -> new SQLException(
                        "app " + schema.appName() + ": its row in " + TABLE + " vanished while it was being claimed"));
        if (owner.unknown()) {
            setOwner(runner, schema.name());
        } else if (!owner.is(schema)) {
            throw new SchemaTaken(schema, owner.appName());
        }
    }

    private void setOwner(Connection runner, String name) throws SQLException {
        try (PreparedStatement set = runner.prepareStatement(
                "UPDATE " + TABLE + " SET schema_name = ?, app_namespace = ?, app_name = ? WHERE schema_name = ?")) {
            set.setString(1, schema.name());
            set.setString(2, schema.namespace());
            set.setString(3, schema.app());
            set.setString(4, name);
            set.executeUpdate();
        }
    }

    private void moveLegacy(Connection runner, boolean roles) throws SQLException {
        String legacy = schema.legacyName();
        Optional<Owner> owner = lockedOwner(runner, legacy);
        if (owner.isEmpty() || !(owner.get().unknown() || owner.get().is(schema))) {
            return;
        }
        boolean schemaMoves = steps.exists("SELECT 1 FROM pg_namespace WHERE nspname = ?", legacy)
                && !steps.exists("SELECT 1 FROM pg_namespace WHERE nspname = ?", schema.name());
        if (!schemaMoves) {
            return;
        }
        steps.ddl(
                "moved schema " + legacy + " to " + schema.name()
                        + " with its data (App names now map to database names one to one)",
                "ALTER SCHEMA " + quoted(legacy) + " RENAME TO " + schema.quoted());
        if (roles
                && steps.exists("SELECT 1 FROM pg_roles WHERE rolname = ?", legacy)
                && !steps.exists("SELECT 1 FROM pg_roles WHERE rolname = ?", schema.name())) {
            // Its password goes with the old name (a new one is set for the new name right after).
            steps.ddl(
                    "renamed role " + legacy + " to " + schema.name(),
                    "ALTER ROLE " + quoted(legacy) + " RENAME TO " + schema.quoted());
        }
        setOwner(runner, legacy);
    }

    private static Optional<Owner> lockedOwner(Connection runner, String name) throws SQLException {
        try (PreparedStatement lock = runner.prepareStatement(
                "SELECT app_namespace, app_name FROM " + TABLE + " WHERE schema_name = ? FOR UPDATE")) {
            lock.setString(1, name);
            try (ResultSet rs = lock.executeQuery()) {
                return rs.next() ? Optional.of(new Owner(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    private static String quoted(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** Who owns a name; both null for a row written before owners were recorded. */
    private record Owner(String namespace, String app) {
        boolean unknown() {
            return namespace == null && app == null;
        }

        boolean is(AppSchema schema) {
            return Objects.equals(namespace, schema.namespace()) && Objects.equals(app, schema.app());
        }

        String appName() {
            return namespace + "/" + app;
        }
    }

    /** The App's database name is another App's. */
    static final class SchemaTaken extends SQLException {
        SchemaTaken(AppSchema schema, String owner) {
            super(
                    "app " + schema.appName() + ": its database name " + schema.name() + " belongs to App " + owner
                            + ", whose name maps to the same schema and role; the App is not served, so that it never reaches the other's"
                            + " data: rename one of the two Apps",
                    "42501");
        }
    }
}
