package dev.caravan.registry;

import dev.caravan.data.CaravanException;
import dev.caravan.registry.Jdbc.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Resolves model references to version rows, with errors that list what exists instead. */
final class VersionKeys {
    private VersionKeys() {}

    /** A model version's row id, name and number. */
    record VersionKey(long id, String name, int version) {
        @Override
        public String toString() {
            return name + ":" + version;
        }
    }

    static VersionKey resolve(Tx tx, ModelReference reference) throws SQLException {
        requireModel(tx, reference.name());
        Optional<VersionKey> found = reference.alias() != null
                ? aliasTarget(tx, reference.name(), reference.alias())
                : tx.first(
                        "select id, model_name, version from model_versions where model_name = ?"
                                + " and (cast(? as int) is null or version = ?) order by version desc limit 1",
                        VersionKeys::key,
                        reference.name(),
                        reference.version(),
                        reference.version());
        if (found.isPresent()) {
            return found.get();
        }
        if (reference.alias() != null) {
            throw unknownAlias(tx, reference.name(), reference.alias());
        }
        int newest = tx.one(
                "select coalesce(max(version), 0) from model_versions where model_name = ?",
                row -> row.getInt(1),
                reference.name());
        throw CaravanException.notFound("model " + reference.name() + " has no version "
                + (reference.version() == null ? "yet" : reference.version() + "; its newest is " + newest));
    }

    static Optional<VersionKey> aliasTarget(Tx tx, String name, String alias) throws SQLException {
        return tx.first(
                "select v.id, v.model_name, v.version from model_aliases a"
                        + " join model_versions v on v.id = a.model_version_id where a.model_name = ? and a.alias = ?",
                VersionKeys::key,
                name,
                alias);
    }

    static void requireModel(Tx tx, String name) throws SQLException {
        if (tx.first("select 1 from models where name = ?", row -> true, name).isEmpty()) {
            String known = tx.one(
                    "select coalesce(string_agg(name, ', ' order by name), '') from models", row -> row.getString(1));
            throw CaravanException.notFound("no model named '" + name + "' "
                    + (known.isEmpty() ? "(no model is registered yet)" : "(models: " + known + ")"));
        }
    }

    static CaravanException unknownAlias(Tx tx, String name, String alias) throws SQLException {
        String known = tx.one(
                "select coalesce(string_agg(alias, ', ' order by alias), '') from model_aliases"
                        + " where model_name = ?",
                row -> row.getString(1),
                name);
        return CaravanException.notFound("model " + name + " has no alias '" + alias + "' "
                + (known.isEmpty() ? "(it has no aliases yet)" : "(its aliases: " + known + ")"));
    }

    private static VersionKey key(ResultSet row) throws SQLException {
        return new VersionKey(row.getLong(1), row.getString(2), row.getInt(3));
    }
}
