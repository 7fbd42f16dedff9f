// store.batched_rows_per_s, store.durable_commits_per_s (and the durable SQLite commits beside
// it), store.track_query_ms.

#include "BenchJson.h"
#include "events/SourceDirectory.h"
#include "store/EventStore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>

#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

namespace gwanje::bench {

namespace {

constexpr qint64 t0 = 1'764'000'000'000;

QString freshPath(const Settings &settings, const QString &name)
{
    const QString path = QDir(settings.workDir).filePath(name);
    for (const char *suffix : {"", "-wal", "-shm", ".events-journal"})
        QFile::remove(path + QString::fromLatin1(suffix));
    return path;
}

// Creates the store's schema in a new file, as the baselines must use the same one.
void createSchema(const QString &path)
{
    EventStore store(std::make_shared<SourceDirectory>(), {path});
    store.open();
}

sqlite3 *openBare(const QString &path, const char *pragmas)
{
    sqlite3 *db = nullptr;
    sqlite3_open(path.toUtf8().constData(), &db);
    sqlite3_exec(db, pragmas, nullptr, nullptr, nullptr);
    return db;
}

// The baselines' writer: one sensor row and its R*Tree entry, prepared statements, bare sqlite3.
struct BareEventWriter
{
    sqlite3 *db;
    sqlite3_stmt *ins = nullptr;
    sqlite3_stmt *rt = nullptr;

    explicit BareEventWriter(sqlite3 *database)
        : db(database)
    {
        sqlite3_prepare_v2(db,
                           "INSERT INTO events (kind, source, dedup, source_time, received, latitude, longitude, "
                           "status, count, quantity, value) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &ins, nullptr);
        sqlite3_prepare_v2(db, "INSERT INTO events_rtree VALUES (?,?,?,?,?)", -1, &rt, nullptr);
    }
    ~BareEventWriter()
    {
        sqlite3_finalize(ins);
        sqlite3_finalize(rt);
    }
    void write(const Event &e, qint64 sourceKey)
    {
        sqlite3_bind_int(ins, 1, int(e.kind));
        sqlite3_bind_int64(ins, 2, sourceKey);
        sqlite3_bind_int64(ins, 3, qint64(e.sourceEventId));
        sqlite3_bind_int64(ins, 4, e.sourceTimeMs);
        sqlite3_bind_int64(ins, 5, e.receiveTimeMs);
        sqlite3_bind_double(ins, 6, e.latitude);
        sqlite3_bind_double(ins, 7, e.longitude);
        sqlite3_bind_int(ins, 8, e.status);
        sqlite3_bind_int(ins, 9, e.count);
        sqlite3_bind_int(ins, 10, int(e.quantity));
        sqlite3_bind_double(ins, 11, e.value);
        sqlite3_step(ins);
        sqlite3_reset(ins);
        sqlite3_bind_int64(rt, 1, sqlite3_last_insert_rowid(db));
        sqlite3_bind_double(rt, 2, e.latitude);
        sqlite3_bind_double(rt, 3, e.latitude);
        sqlite3_bind_double(rt, 4, e.longitude);
        sqlite3_bind_double(rt, 5, e.longitude);
        sqlite3_step(rt);
        sqlite3_reset(rt);
    }
};

std::vector<Event> sensorRows(SourceDirectory &dir, int n, quint64 firstId)
{
    QRandomGenerator rng(7);
    std::vector<quint32> sensors;
    std::vector<std::pair<double, double>> where;
    for (int i = 0; i < 851; ++i) {
        sensors.push_back(dir.intern(QStringLiteral("SDOT-%1").arg(i)));
        where.emplace_back(37.45 + rng.generateDouble() * 0.23, 126.8 + rng.generateDouble() * 0.38);
    }
    std::vector<Event> rows;
    rows.reserve(std::size_t(n));
    for (int i = 0; i < n; ++i) {
        Event e;
        e.kind = EventKind::SensorReading;
        e.quantity = Quantity::Pm10;
        e.source = sensors[std::size_t(i % 851)];
        e.sourceTimeMs = t0 + qint64(i / 851) * 60'000;
        e.receiveTimeMs = e.sourceTimeMs + 200;
        e.sourceEventId = firstId + quint64(i);
        e.latitude = where[std::size_t(i % 851)].first;
        e.longitude = where[std::size_t(i % 851)].second;
        e.value = float(20 + i % 60);
        rows.push_back(e);
    }
    return rows;
}

double storeRowsPerSecond(const Settings &settings, const std::vector<Event> &rows,
                          const std::shared_ptr<SourceDirectory> &dir, std::size_t batch)
{
    StoreOptions options{freshPath(settings, QStringLiteral("rows-store.db"))};
    options.maxBatch = batch;
    EventStore store(dir, options);
    store.open();
    QElapsedTimer timer;
    timer.start();
    for (std::size_t i = 0; i < rows.size(); i += batch)
        store.append(std::span<const Event>(rows.data() + i, std::min(batch, rows.size() - i)));
    store.flush(600'000);
    return double(rows.size()) / (double(timer.nsecsElapsed()) / 1e9);
}

double bareRowsPerSecond(const Settings &settings, const std::vector<Event> &rows, const SourceDirectory &dir,
                         std::size_t batch)
{
    const QString path = freshPath(settings, QStringLiteral("rows-bare.db"));
    createSchema(path);
    sqlite3 *db = openBare(path, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;");
    sqlite3_stmt *src = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO sources (id) VALUES (?)", -1, &src, nullptr);
    BareEventWriter writer(db);
    QElapsedTimer timer;
    timer.start();
    std::vector<qint64> keys(std::size_t(dir.size()), -1);
    for (std::size_t i = 0; i < rows.size(); i += batch) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        for (std::size_t k = i; k < std::min(rows.size(), i + batch); ++k) {
            const Event &e = rows[k];
            if (keys[e.source] < 0) {
                const QByteArray id = dir.id(e.source).toUtf8();
                sqlite3_bind_text(src, 1, id.constData(), int(id.size()), SQLITE_TRANSIENT);
                sqlite3_step(src);
                sqlite3_reset(src);
                keys[e.source] = sqlite3_last_insert_rowid(db);
            }
            writer.write(e, keys[e.source]);
        }
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
    const double rate = double(rows.size()) / (double(timer.nsecsElapsed()) / 1e9);
    sqlite3_finalize(src);
    sqlite3_close_v2(db); // closes once the last statement is finalized
    return rate;
}

void batchedRows(const Settings &settings)
{
    const int n = settings.quick ? 20'000 : 200'000;
    const std::size_t batch = 5000;
    std::vector<double> ours, bare;
    for (int run = 0; run < 3; ++run) {
        auto dir = std::make_shared<SourceDirectory>();
        const std::vector<Event> rows = sensorRows(*dir, n, 1);
        bare.push_back(bareRowsPerSecond(settings, rows, *dir, batch));
        ours.push_back(storeRowsPerSecond(settings, rows, dir, batch));
    }
    emit("store.batched_rows_per_s", median(ours), "rows/s", median(bare));
}

// How many fdatasync()s per second this file system does, appending 4 KiB pages as a WAL does.
double syncRate(const Settings &settings, int n)
{
    const QString path = freshPath(settings, QStringLiteral("fsync.bin"));
    const int fd = ::open(QFile::encodeName(path).constData(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    const QByteArray page(4096, 'x');
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < n; ++i) {
        if (::write(fd, page.constData(), std::size_t(page.size())) != page.size())
            break;
        ::fdatasync(fd);
    }
    const double rate = n / (double(timer.nsecsElapsed()) / 1e9);
    ::close(fd);
    return rate;
}

// Single-event durable commits through EventStore: appendDurable() (the event journal) or
// append() + flush() (a durable SQLite transaction per event).
double storeDurableRate(const Settings &settings, const std::vector<Event> &rows,
                        const std::shared_ptr<SourceDirectory> &dir, bool journal)
{
    EventStore store(
        dir, {freshPath(settings, journal ? QStringLiteral("durable.db") : QStringLiteral("durable-sqlite.db"))});
    store.open();
    QElapsedTimer timer;
    timer.start();
    for (const Event &e : rows) {
        if (journal) {
            store.appendDurable(std::span<const Event>(&e, 1));
        } else {
            store.append(std::span<const Event>(&e, 1));
            store.flush(60'000);
        }
    }
    const double rate = double(rows.size()) / (double(timer.nsecsElapsed()) / 1e9);
    store.flush(60'000); // the journaled events folded in before the next run
    return rate;
}

// The same single-row durable commits through bare sqlite3 on the same schema (event row and
// R*Tree entry, WAL, synchronous=FULL): what SQLite itself can do on this file system.
double bareDurableRate(const Settings &settings, const std::vector<Event> &rows)
{
    const QString barePath = freshPath(settings, QStringLiteral("durable-bare.db"));
    createSchema(barePath);
    sqlite3 *db = openBare(barePath, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
    sqlite3_exec(db, "INSERT INTO sources (key, id) VALUES (1, 'SDOT-0')", nullptr, nullptr, nullptr);
    double rate = 0.0;
    {
        BareEventWriter writer(db);
        QElapsedTimer timer;
        timer.start();
        for (const Event &e : rows) {
            sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
            writer.write(e, 1);
            sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
        }
        rate = double(rows.size()) / (double(timer.nsecsElapsed()) / 1e9);
    }
    sqlite3_close_v2(db); // closes once the last statement is finalized
    return rate;
}

// store.durable_commits_per_s: one event per appendDurable(), each returning once the event is on
// disk (the store's journal); store.durable_sqlite_commits_per_s: one event per append() +
// flush(), a durable SQLite transaction each. Both against the fdatasync rate; runs alternate.
void durableCommits(const Settings &settings)
{
    const int n = settings.quick ? 20 : 300;
    const int runs = settings.quick ? 1 : 3;
    auto dir = std::make_shared<SourceDirectory>();
    const std::vector<Event> rows = sensorRows(*dir, n, 1);
    std::vector<double> sync, journal, sqlite, bare;
    for (int run = 0; run < runs; ++run) {
        sync.push_back(syncRate(settings, n));
        journal.push_back(storeDurableRate(settings, rows, dir, true));
        sqlite.push_back(storeDurableRate(settings, rows, dir, false));
        bare.push_back(bareDurableRate(settings, rows));
    }
    emit("store.durable_commits_per_s", median(journal), "commits/s", median(sync));
    emit("store.durable_sqlite_commits_per_s", median(sqlite), "commits/s", median(sync));
    emit("store.durable_commits_vs_bare_sqlite_per_s", median(sqlite), "commits/s", median(bare));
}

// A position history of `devices` devices, each with a day of fixes every 10 s, built once with
// bare SQLite in the store's schema and kept in the work directory.
QString trackDatabase(const Settings &settings, int devices, int fixesPerDevice)
{
    const QString path = QDir(settings.workDir)
                             .filePath(QStringLiteral("tracks-%1x%2-v%3.db")
                                           .arg(devices)
                                           .arg(fixesPerDevice)
                                           .arg(EventStore::schemaVersion()));
    if (QFile::exists(path))
        return path;
    const QString building = path + QStringLiteral(".building");
    QFile::remove(building);
    createSchema(building);
    sqlite3 *db = openBare(building, "PRAGMA synchronous=OFF; PRAGMA journal_mode=OFF; PRAGMA cache_size=-262144;");
    sqlite3_stmt *src = nullptr, *ins = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO sources (key, id) VALUES (?, ?)", -1, &src, nullptr);
    sqlite3_prepare_v2(db,
                       "INSERT INTO positions (source, t, received, latitude, longitude, accuracy, speed, heading, "
                       "battery) VALUES (?,?,?,?,?,?,?,?,?)",
                       -1, &ins, nullptr);
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (int d = 1; d <= devices; ++d) {
        const QByteArray id = QStringLiteral("DEV-%1").arg(d, 6, 10, QLatin1Char('0')).toUtf8();
        sqlite3_bind_int(src, 1, d);
        sqlite3_bind_text(src, 2, id.constData(), int(id.size()), SQLITE_TRANSIENT);
        sqlite3_step(src);
        sqlite3_reset(src);
        for (int i = 0; i < fixesPerDevice; ++i) {
            const qint64 t = t0 + qint64(i) * 10'000;
            sqlite3_bind_int(ins, 1, d);
            sqlite3_bind_int64(ins, 2, t);
            sqlite3_bind_int64(ins, 3, t + 400);
            sqlite3_bind_double(ins, 4, 37.5 + d * 1e-4 + i * 1e-6);
            sqlite3_bind_double(ins, 5, 127.0 - d * 1e-4 + i * 1e-6);
            sqlite3_bind_double(ins, 6, 8.0);
            sqlite3_bind_double(ins, 7, 1.2);
            sqlite3_bind_double(ins, 8, 90.0);
            sqlite3_bind_double(ins, 9, 80.0);
            sqlite3_step(ins);
            sqlite3_reset(ins);
        }
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_finalize(src);
    sqlite3_finalize(ins);
    sqlite3_close_v2(db); // closes once the last statement is finalized
    QFile::rename(building, path);
    return path;
}

void trackQuery(const Settings &settings)
{
    // 1,157 devices x 8,640 fixes (a day at 10 s) = 9,996,480 stored fixes.
    const int devices = settings.quick ? 50 : 1157;
    const int fixes = settings.quick ? 1000 : 8640;
    const QString path = trackDatabase(settings, devices, fixes);
    const qint64 dayEnd = t0 + qint64(fixes) * 10'000;
    EventStore store(std::make_shared<SourceDirectory>(), {path});
    store.open();
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *q = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT t, latitude, longitude, accuracy, speed, heading, battery FROM positions "
                       "WHERE source = (SELECT key FROM sources WHERE id = ?) AND t BETWEEN ? AND ? ORDER BY t",
                       -1, &q, nullptr);
    QRandomGenerator rng(11);
    std::vector<double> ours, bare;
    std::size_t points = 0;
    for (int i = 0; i < 60; ++i) {
        const QString id = QStringLiteral("DEV-%1").arg(1 + int(rng.bounded(devices)), 6, 10, QLatin1Char('0'));
        QElapsedTimer timer;
        timer.start();
        const auto track = store.track(id, t0, dayEnd);
        ours.push_back(double(timer.nsecsElapsed()) / 1e6);
        points += track.size();

        const QByteArray key = id.toUtf8();
        timer.restart();
        sqlite3_bind_text(q, 1, key.constData(), int(key.size()), SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, t0);
        sqlite3_bind_int64(q, 3, dayEnd);
        double sink = 0;
        while (sqlite3_step(q) == SQLITE_ROW)
            sink += sqlite3_column_double(q, 1) + double(sqlite3_column_int64(q, 0));
        sqlite3_reset(q);
        bare.push_back(double(timer.nsecsElapsed()) / 1e6);
        if (sink < 0)
            std::fprintf(stderr, "%f\n", sink);
    }
    sqlite3_finalize(q);
    sqlite3_close_v2(db); // closes once the last statement is finalized
    if (points != std::size_t(60) * std::size_t(fixes))
        std::fprintf(stderr, "gwanje-bench: track query returned %zu points, expected %d\n", points, 60 * fixes);
    emit("store.track_query_ms", median(ours), "ms", median(bare));
}

} // namespace

void storeBenchmarks(const Settings &settings)
{
    if (settings.selected("store.batched_rows_per_s"))
        batchedRows(settings);
    if (settings.selected("store.durable_commits_per_s") || settings.selected("store.durable_sqlite_commits_per_s"))
        durableCommits(settings);
    if (settings.selected("store.track_query_ms"))
        trackQuery(settings);
}

} // namespace gwanje::bench
