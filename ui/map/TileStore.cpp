#include "TileStore.h"

#include "UiLogging.h"
#include "map/RasterTileReader.h"

#include "MapStyle.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QSet>

#include <string>
#include <unordered_map>

namespace gwanje {

namespace {

constexpr int tilePixels = RasterTileReader::tileSize;

QColor colorOf(quint32 argb)
{
    return QColor::fromRgba(argb);
}

// World units to the pixels of one tile, dropping vertices closer than half a pixel to the last.
void appendPart(QPainterPath &path, const std::vector<QPointF> &part, const GeoRect &tile, double scale, bool closed)
{
    if (part.empty())
        return;
    QPointF last((part[0].x() - tile.minX) * scale, (part[0].y() - tile.minY) * scale);
    path.moveTo(last);
    for (std::size_t i = 1; i < part.size(); ++i) {
        const QPointF p((part[i].x() - tile.minX) * scale, (part[i].y() - tile.minY) * scale);
        if (i + 1 < part.size() && std::abs(p.x() - last.x()) < 0.5 && std::abs(p.y() - last.y()) < 0.5)
            continue;
        path.lineTo(p);
        last = p;
    }
    if (closed)
        path.closeSubpath();
}

void drawVector(QPainter &painter, const BasemapLayer &layer, const GeoRect &tile, double scale)
{
    const MapLayerSpec &spec = layer.spec;
    const double margin = (spec.lineWidth + 2.0) / scale;
    const GeoRect query =
        GeoRect::fromEdges(tile.minX - margin, tile.minY - margin, tile.maxX + margin, tile.maxY + margin);
    const QPen pen = spec.line ? QPen(colorOf(spec.line), spec.lineWidth, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin)
                               : QPen(Qt::NoPen);
    const QBrush brush = spec.fill ? QBrush(colorOf(spec.fill)) : QBrush(Qt::NoBrush);
    layer.vector->forEachIntersecting(query, [&](const VectorFeature &f) {
        QPainterPath path;
        path.setFillRule(Qt::OddEvenFill);
        if (f.polygon) {
            for (const auto &ring : f.parts)
                appendPart(path, ring, tile, scale, true);
            painter.fillPath(path, brush);
            if (spec.line)
                painter.strokePath(path, pen);
        } else if (f.parts.size() == 1 && f.parts[0].size() == 1) {
            const QPointF p((f.parts[0][0].x() - tile.minX) * scale, (f.parts[0][0].y() - tile.minY) * scale);
            painter.setPen(pen);
            painter.setBrush(spec.fill ? brush : QBrush(colorOf(spec.line)));
            painter.drawEllipse(p, spec.lineWidth + 1.5, spec.lineWidth + 1.5);
        } else {
            for (const auto &line : f.parts)
                appendPart(path, line, tile, scale, false);
            painter.strokePath(path, spec.line ? pen : QPen(colorOf(spec.fill), spec.lineWidth));
        }
    });
}

// Road names along their roads: on the longest straight piece of each named line that lies inside
// the tile with room to spare, upright, with a halo; each name once per tile. Labels that would
// cross the tile's edge are left out rather than cut.
void drawLineLabels(QPainter &painter, const BasemapLayer &layer, const GeoRect &tile, double scale, int zoom)
{
    if (zoom < MapStyle::roadLabelMinimumZoom)
        return;
    static const QFont font = [] {
        QFont f;
        f.setFamilies({QStringLiteral("Noto Sans CJK KR"), QStringLiteral("NanumGothic"),
                       QStringLiteral("NanumBarunGothic"), QStringLiteral("Malgun Gothic"),
                       QStringLiteral("Apple SD Gothic Neo"), QStringLiteral("sans-serif")});
        f.setPixelSize(12);
        f.setBold(true);
        return f;
    }();
    const QFontMetricsF metrics(font);
    QSet<QString> placed;
    const QRectF inside(4, 4, tilePixels - 8, tilePixels - 8);
    layer.vector->forEachIntersecting(tile, [&](const VectorFeature &f) {
        if (f.label.isEmpty() || f.polygon || placed.contains(f.label))
            return;
        const double textWidth = metrics.horizontalAdvance(f.label);
        // The longest nearly straight run (OSM ways bend in many short pieces), as one chord.
        QLineF best;
        for (const auto &part : f.parts) {
            std::vector<QPointF> px;
            px.reserve(part.size());
            for (const QPointF &w : part)
                px.emplace_back((w.x() - tile.minX) * scale, (w.y() - tile.minY) * scale);
            for (std::size_t i = 0; i + 1 < px.size(); ++i) {
                if (!inside.contains(px[i]))
                    continue;
                std::size_t j = i + 1;
                while (j < px.size() && inside.contains(px[j])) {
                    const QLineF chord(px[i], px[j]);
                    const QLineF piece(px[j - 1], px[j]);
                    if (piece.length() > 0.5 && std::abs(std::remainder(chord.angle() - piece.angle(), 360.0)) > 12.0)
                        break;
                    if (chord.length() > best.length())
                        best = chord;
                    ++j;
                }
            }
        }
        if (best.length() < textWidth + 12)
            return;
        double angle = best.angle(); // counter-clockwise, degrees
        if (angle > 90 && angle <= 270)
            angle -= 180; // upright
        painter.save();
        painter.translate(best.center());
        painter.rotate(-angle);
        QPainterPath path;
        path.addText(QPointF(-textWidth / 2, metrics.ascent() / 2 - 1), font, f.label);
        painter.strokePath(path, QPen(MapStyle::background(), 3.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        painter.fillPath(path, MapStyle::roadLabel());
        painter.restore();
        placed.insert(f.label);
    });
}

bool isRemote(const QString &source)
{
    return source.startsWith(u'<') || source.startsWith(QStringLiteral("WMTS:")) ||
           source.startsWith(QStringLiteral("/vsicurl")) || source.startsWith(QStringLiteral("http"));
}

bool drawRaster(QPainter &painter, const BasemapLayer &layer, TileId id, const QString &diskCache, QString *error)
{
    // Remote tiles come from the disk cache when they were fetched before; fetched ones go there.
    QString cached;
    if (!diskCache.isEmpty() && isRemote(layer.spec.source)) {
        const QByteArray key =
            QCryptographicHash::hash(layer.spec.source.toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
        cached =
            QStringLiteral("%1/%2/%3/%4/%5.png").arg(diskCache, QString::fromLatin1(key)).arg(id.z).arg(id.x).arg(id.y);
        QImage image;
        if (QFileInfo::exists(cached) && image.load(cached, "PNG")) {
            painter.drawImage(QPoint(0, 0), image);
            return true;
        }
    }
    // GDAL handles are not thread-safe: one reader per source and worker thread, kept open.
    thread_local std::unordered_map<std::string, std::unique_ptr<RasterTileReader>> readers;
    const std::string key = layer.spec.source.toStdString();
    auto it = readers.find(key);
    if (it == readers.end() || !it->second) {
        auto reader = RasterTileReader::open(layer.spec.source, error);
        if (!reader)
            return false;
        it = readers.insert_or_assign(key, std::move(reader)).first;
    }
    if (!it->second->worldBounds().intersects(tileWorldBounds(id)))
        return true;
    std::vector<quint32> pixels;
    if (!it->second->readTile(id, pixels, error))
        return false;
    const QImage image(reinterpret_cast<const uchar *>(pixels.data()), tilePixels, tilePixels, tilePixels * 4,
                       QImage::Format_ARGB32_Premultiplied);
    painter.drawImage(QPoint(0, 0), image); // drawn before `pixels` goes away
    if (!cached.isEmpty()) {
        // Written under a temporary name and renamed: a reader never sees half a file.
        QDir().mkpath(QFileInfo(cached).path());
        const QString temporary = cached + QStringLiteral(".part");
        if (image.save(temporary, "PNG") && !QFile::rename(temporary, cached))
            QFile::remove(temporary);
    }
    return true;
}

} // namespace

TileStore::TileStore(QObject *parent)
    : QObject(parent)
{
    // One core stays free for the GUI and render threads on small machines.
    m_pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount() - 1));
}

TileStore::~TileStore()
{
    {
        QMutexLocker lock(&m_mutex);
        m_queue.clear();
    }
    m_pool.waitForDone();
}

void TileStore::setData(std::shared_ptr<const BasemapData> data)
{
    m_data = std::move(data);
    m_cache.clear();
    m_requested.clear();
    m_failures = 0;
    QMutexLocker lock(&m_mutex);
    m_queue.clear();
    m_workerData = m_data;
}

int TileStore::pending() const
{
    return int(m_requested.size());
}

const QImage *TileStore::tile(TileId id)
{
    if (!m_data || !id.isValid())
        return nullptr;
    const quint64 key = id.key();
    if (const QImage *image = m_cache.object(key))
        return image;
    if (m_requested.insert(key).second) {
        {
            QMutexLocker lock(&m_mutex);
            m_queue.push_back(id);
        }
        startWorker();
    }
    return nullptr;
}

void TileStore::retainOnly(const std::unordered_set<quint64> &wanted)
{
    QMutexLocker lock(&m_mutex);
    std::deque<TileId> kept;
    for (const TileId &id : m_queue) {
        if (wanted.count(id.key()))
            kept.push_back(id);
        else
            m_requested.erase(id.key());
    }
    m_queue.swap(kept);
}

void TileStore::startWorker()
{
    // The count of running workers is kept under the queue's lock, so a tile queued just as the
    // last worker finds the queue empty always gets a worker.
    {
        QMutexLocker lock(&m_mutex);
        if (m_running >= m_pool.maxThreadCount())
            return;
        ++m_running;
    }
    QPointer<TileStore> self(this);
    m_pool.start([this, self] {
        for (;;) {
            TileId id;
            std::shared_ptr<const BasemapData> data;
            {
                QMutexLocker lock(&m_mutex);
                if (m_queue.empty() || !m_workerData) {
                    --m_running;
                    return;
                }
                id = m_queue.back(); // newest first: what the operator looks at now
                m_queue.pop_back();
                data = m_workerData; // the layers as they are now, not when the worker started
            }
            QStringList errors;
            QImage image = renderTile(*data, id, &errors);
            QMetaObject::invokeMethod(
                this,
                [self, generation = data->generation, id, image = std::move(image), errors] {
                    if (self)
                        self->delivered(generation, id, image, errors);
                },
                Qt::QueuedConnection);
        }
    });
}

void TileStore::delivered(quint64 generation, TileId id, const QImage &image, const QStringList &errors)
{
    if (!m_data || generation != m_data->generation) {
        // Drawn for a layer set that has changed since: ask again if the view still wants it.
        return;
    }
    m_requested.erase(id.key());
    if (!errors.isEmpty()) {
        if (m_failures++ < 20)
            qCWarning(lcUiMap, "tile %d/%d/%d: %s", id.z, id.x, id.y, qUtf8Printable(errors.join(QStringLiteral("; "))));
    }
    m_cache.insert(id.key(), new QImage(image));
    Q_EMIT tileReady();
}

QImage TileStore::renderTile(const BasemapData &data, TileId id, QStringList *errors)
{
    QImage image(tilePixels, tilePixels, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    const GeoRect bounds = tileWorldBounds(id);
    const double scale = tilePixels / bounds.width();
    for (const BasemapLayer &layer : data.layers) {
        const MapLayerSpec &spec = layer.spec;
        if (layer.failed || !spec.visible || id.z < spec.minZoom || id.z > spec.maxZoom)
            continue;
        painter.setOpacity(spec.opacity);
        if (spec.type == MapLayerType::Vector) {
            drawVector(painter, layer, bounds, scale);
            if (!spec.labelField.isEmpty())
                drawLineLabels(painter, layer, bounds, scale, id.z);
        } else {
            QString error;
            if (!drawRaster(painter, layer, id, data.diskCacheDirectory, &error))
                errors->append(spec.id + QStringLiteral(": ") + error);
        }
    }
    painter.end();
    return image;
}

} // namespace gwanje
