#pragma once

#include "BasemapFacade.h"
#include "map/TileMath.h"

#include <QCache>
#include <QImage>
#include <QMutex>
#include <QObject>
#include <QThreadPool>

#include <deque>
#include <memory>
#include <unordered_set>

namespace gwanje {

// The basemap's tiles: rendered from the layers (vector layers painted, raster layers read through
// GDAL) on worker threads, newest request first, into an in-memory LRU cache. Requests the view
// no longer needs are dropped before they are drawn. GUI thread, except renderTile().
class TileStore : public QObject
{
    Q_OBJECT

public:
    static constexpr int cacheTiles = 384; // about 100 MB of 256-pixel tiles

    explicit TileStore(QObject *parent = nullptr);
    ~TileStore() override;

    void setData(std::shared_ptr<const BasemapData> data);
    std::shared_ptr<const BasemapData> data() const { return m_data; }

    // The tile if it is ready; otherwise nullptr, and it is queued (once).
    const QImage *tile(TileId id);
    // The tile if it is ready, without queueing it (for stand-ins while a tile loads).
    const QImage *cached(TileId id) const { return m_data ? m_cache.object(id.key()) : nullptr; }
    // Only these may still be drawn from the queue (the tiles of the current view).
    void retainOnly(const std::unordered_set<quint64> &wanted);
    int pending() const;
    // Tiles that failed to render in this generation (each also logged once).
    int failures() const { return m_failures; }

    // Draws one tile of the basemap. Thread-safe: raster sources are opened once per thread.
    static QImage renderTile(const BasemapData &data, TileId id, QStringList *errors);

Q_SIGNALS:
    void tileReady();

private:
    void startWorker();
    void delivered(quint64 generation, TileId id, const QImage &image, const QStringList &errors);

    std::shared_ptr<const BasemapData> m_data;
    QCache<quint64, QImage> m_cache{cacheTiles};
    std::unordered_set<quint64> m_requested; // queued or being drawn
    mutable QMutex m_mutex;                  // guards the three below
    std::deque<TileId> m_queue;
    int m_running = 0;
    std::shared_ptr<const BasemapData> m_workerData;
    int m_failures = 0;
    QThreadPool m_pool;
};

} // namespace gwanje
