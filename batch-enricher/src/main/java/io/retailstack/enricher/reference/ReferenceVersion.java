package io.retailstack.enricher.reference;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Keeps reference loads and runs from missing each other's rows ({@code ops.reference_version}, see V8).
 *
 * <p>A run computes its facts from a snapshot of the dimensions taken at its start. A load re-points only the facts
 * committed before it, so without this a chunk committed after a load could keep the unknown member (-1) for a
 * location the load just added, until the next load. Loads take an exclusive transaction-level advisory lock and
 * bump the version; each chunk takes the lock shared and compares the version with its run's: the two never
 * overlap, and whichever commits second re-points the other's rows.
 */
public final class ReferenceVersion {

    /** First half of the two-int advisory lock key: "REFD" (the shard locks use "RETA"). */
    static final int LOCK_CLASS = 0x52454644;

    private ReferenceVersion() {}

    /** The version now (outside any lock: what a run's dimension snapshot is compared against). */
    public static long current(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version FROM ops.reference_version WHERE id = 1")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * For a chunk's transaction: waits for a load being committed, keeps new loads out until this transaction ends,
     * and returns the version.
     */
    public static long lockForChunk(Connection c) throws SQLException {
        requireTransaction(c);
        lock(c, "pg_advisory_xact_lock_shared");
        return current(c);
    }

    /** For a load's transaction: waits for chunks being written, keeps new ones out until commit, bumps the version. */
    static void lockAndBumpForLoad(Connection c) throws SQLException {
        requireTransaction(c);
        lock(c, "pg_advisory_xact_lock");
        try (Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE ops.reference_version SET version = version + 1, loaded_at = now() WHERE id = 1");
        }
    }

    private static void lock(Connection c, String function) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(?, 0)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.execute();
        }
    }

    private static void requireTransaction(Connection c) throws SQLException {
        if (c.getAutoCommit()) {
            // a transaction-level lock taken in autocommit is released at once and orders nothing
            throw new IllegalStateException("reference version lock needs a transaction (autocommit is on)");
        }
    }
}
