#include "Logging.h"
#include "Schema_p.h"
#include "StoreFile.h"

#include <sqlite3.h>

namespace gwanje::schema {

bool migrate(sqlite3 *db, QString *error)
{
    sqlite3_stmt *s = nullptr;
    int version = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    const int known = int(migrations.size());
    if (version > known) {
        *error =
            QStringLiteral("the database has schema version %1; this build knows up to %2").arg(version).arg(known);
        return false;
    }
    for (int v = version; v < known; ++v) {
        const QByteArray sql = QByteArray("BEGIN IMMEDIATE;") + migrations[std::size_t(v)] +
                               "; PRAGMA user_version=" + QByteArray::number(v + 1) + "; COMMIT;";
        char *message = nullptr;
        if (sqlite3_exec(db, sql.constData(), nullptr, nullptr, &message) != SQLITE_OK) {
            const QString why = QString::fromUtf8(message ? message : sqlite3_errmsg(db));
            sqlite3_free(message);
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            *error = QStringLiteral("migration to schema version %1 failed: %2").arg(v + 1).arg(why);
            return false;
        }
        qCInfo(lcStore, "database migrated to schema version %d", v + 1);
    }
    return true;
}

} // namespace gwanje::schema

bool gwanje::migrateStoreFile(sqlite3 *db, QString *error)
{
    return schema::migrate(db, error);
}
