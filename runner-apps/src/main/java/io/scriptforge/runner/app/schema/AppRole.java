package io.scriptforge.runner.app.schema;

import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.PlatformSchema;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.postgresql.util.PasswordUtil;

/**
 * The app's own role, as the runner's user prepares it: named like the app's schema and owning it,
 * able to log in with the password every replica derives, and nothing more: no membership in any
 * role, no attribute beyond LOGIN, no right on the runners' schema, none to create in
 * {@code public}. Its SQL, logged in as it, reaches its own schema and what PUBLIC may read.
 */
final class AppRole {
    private static final Logger LOG = Logger.getLogger(AppRole.class);
    private static final String ELEVATED = "rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls";

    private final DdlSteps steps;
    private final AppSchema schema;

    AppRole(DdlSteps steps, AppSchema schema) {
        this.steps = steps;
        this.schema = schema;
    }

    /** Creates or corrects the role, and sets its password (every time: a replica's pool must be able to log in). */
    void prepare(String password) throws SQLException {
        String role = schema.quoted();
        if (!steps.exists("SELECT 1 FROM pg_namespace WHERE nspname = ?", schema.name())) {
            steps.ddl("created schema " + schema.name(), "CREATE SCHEMA " + role);
        }
        if (!steps.exists("SELECT 1 FROM pg_roles WHERE rolname = ?", schema.name())) {
            steps.ddl("created role " + schema.name(), "CREATE ROLE " + role + " NOLOGIN NOINHERIT");
        }
        if (steps.exists("SELECT 1 FROM pg_roles WHERE rolname = ? AND (" + ELEVATED + ")", schema.name())) {
            steps.ddl(
                    "role " + schema.name() + " lost its attributes beyond LOGIN",
                    "ALTER ROLE " + role + " NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS");
        }
        for (String granted : memberships()) {
            steps.ddl(
                    "role " + schema.name() + " is no longer a member of " + granted,
                    "REVOKE \"" + granted.replace("\"", "\"\"") + "\" FROM " + role);
        }
        // The runner's user may act as the app (e.g. to clean up after it); the app never as the runner.
        String right = steps.connection().getMetaData().getDatabaseMajorVersion() >= 16 ? "SET" : "MEMBER";
        if (!steps.exists("SELECT 1 WHERE pg_has_role(current_user, ?, '" + right + "')", schema.name())) {
            steps.ddl("granted role " + schema.name() + " to the runner", "GRANT " + role + " TO CURRENT_USER");
        }
        if (!steps.exists(
                "SELECT 1 FROM pg_namespace WHERE nspname = ? AND pg_get_userbyid(nspowner) = nspname",
                schema.name())) {
            steps.ddl("schema " + schema.name() + " owned by its role", "ALTER SCHEMA " + role + " OWNER TO " + role);
        }
        steps.run("REVOKE ALL ON SCHEMA " + role + " FROM PUBLIC");
        boolean couldLogIn = steps.exists("SELECT 1 FROM pg_roles WHERE rolname = ? AND rolcanlogin", schema.name());
        // A SCRAM verifier rather than the password itself: the server (and its log) never sees the password.
        String verifier = PasswordUtil.encodeScramSha256(password.toCharArray());
        if (verifier.contains("'")) {
            throw new IllegalStateException("a SCRAM verifier holds a quote");
        }
        String login = "ALTER ROLE " + role + " LOGIN PASSWORD '" + verifier + "'";
        if (couldLogIn) {
            steps.run(login);
        } else {
            steps.ddl("role " + schema.name() + " logs in (the app's own connection pool)", login);
        }
        keepPublicSchemaClosed();
        if (steps.exists(
                "SELECT 1 WHERE has_schema_privilege(?, '" + PlatformSchema.NAME + "', 'USAGE')", schema.name())) {
            throw new SQLException("app " + schema.appName() + ": its role " + schema.name()
                    + " may use the runners' own schema " + PlatformSchema.NAME
                    + ", which holds the platform's secret: revoke that right (granted to it or to PUBLIC)");
        }
    }

    private List<String> memberships() throws SQLException {
        List<String> granted = new ArrayList<>();
        try (PreparedStatement st = steps.connection()
                .prepareStatement(
                        "SELECT r.rolname FROM pg_auth_members m"
                                + " JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles a ON a.oid = m.member WHERE a.rolname = ? ORDER BY 1")) {
            st.setString(1, schema.name());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    granted.add(rs.getString(1));
                }
            }
        }
        return granted;
    }

    /**
     * Objects an app could create in {@code public} would be found by everyone's search path (a
     * function or operator there could catch another user's call). PostgreSQL 15 and later let
     * nobody but the database owner create there; older servers need telling, which only the owner may.
     */
    private void keepPublicSchemaClosed() throws SQLException {
        if (!steps.exists(
                "SELECT 1 FROM pg_namespace WHERE nspname = 'public' AND has_schema_privilege(?, oid, 'CREATE')",
                schema.name())) {
            return;
        }
        Savepoint beforeRevoke = steps.connection().setSavepoint();
        try {
            steps.ddl("PUBLIC may no longer create in schema public", "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            steps.connection().releaseSavepoint(beforeRevoke);
        } catch (SQLException e) {
            steps.connection().rollback(beforeRevoke);
            LOG.warnf(
                    "app %s: every role may create objects in schema public, so an app could plant functions there that"
                            + " others' queries call; the database owner should run REVOKE CREATE ON SCHEMA public FROM PUBLIC (%s)",
                    schema.appName(), e.getMessage());
        }
    }
}
