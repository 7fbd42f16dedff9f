#include "BasemapFacade.h"

#include "QmlSingleton_p.h"
#include "UiLogging.h"
#include "map/RasterTileReader.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QPointer>
#include <QStandardPaths>
#include <QThreadPool>

#include <atomic>

namespace gwanje {

namespace {
quint64 nextGeneration()
{
    static std::atomic<quint64> generation{0};
    return ++generation;
}
} // namespace

BasemapFacade::BasemapFacade(QObject *parent)
    : QObject(parent)
{}

BasemapFacade *BasemapFacade::create(QQmlEngine *, QJSEngine *)
{
    return detail::provideSingleton<BasemapFacade>("Basemap");
}

void BasemapFacade::setInstance(BasemapFacade *instance)
{
    detail::singletonSlot<BasemapFacade>() = instance;
}

BasemapFacade::Loaded BasemapFacade::read(const QString &configPath)
{
    QElapsedTimer timer;
    timer.start();
    Loaded out;
    out.data = std::make_shared<BasemapData>();
    const MapConfig config = MapConfig::load(configPath);
    for (const QString &error : config.errors)
        out.problems.append(tr("Map layers: %1").arg(error));
    out.data->background = config.background;
    int failed = 0;
    for (const MapLayerSpec &spec : config.layers) {
        BasemapLayer layer;
        layer.spec = spec;
        QString error;
        if (spec.type == MapLayerType::Vector) {
            layer.vector = VectorLayerData::load(spec, &error);
            layer.failed = !layer.vector;
        } else {
            // Opened once here to report a bad source now; tiles open their own per thread.
            layer.failed = !RasterTileReader::open(spec.source, &error);
        }
        if (layer.failed) {
            ++failed;
            qCWarning(lcUiMap, "map layer %s: %s", qUtf8Printable(spec.id), qUtf8Printable(error));
            out.problems.append(tr("Map layer “%1” cannot be shown: %2").arg(spec.name, error));
        }
        out.data->layers.push_back(std::move(layer));
    }
    out.data->generation = nextGeneration();
    qCInfo(lcUiMap, "map layers: %d of %d loaded from %s in %.0f ms", int(config.layers.size()) - failed,
           int(config.layers.size()), qUtf8Printable(QFileInfo(configPath).fileName()),
           double(timer.nsecsElapsed()) / 1e6);
    return out;
}

void BasemapFacade::load(const QString &configPath)
{
    const quint64 request = ++m_request;
    QPointer<BasemapFacade> self(this);
    QThreadPool::globalInstance()->start([self, configPath, request] {
        Loaded loaded = read(configPath);
        QMetaObject::invokeMethod(
            self.data(),
            [self, request, loaded = std::move(loaded)]() mutable {
                if (self && self->m_request == request)
                    self->publish(std::move(loaded));
            },
            Qt::QueuedConnection);
    });
}

void BasemapFacade::loadNow(const QString &configPath)
{
    ++m_request;
    publish(read(configPath));
}

void BasemapFacade::publish(Loaded loaded)
{
    loaded.data->diskCacheDirectory =
        m_diskCache.isNull()
            ? QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/tiles")
            : m_diskCache;
    m_data = std::move(loaded.data);
    m_problems = loaded.problems;
    m_loaded = true;
    Q_EMIT changed();
}

QString BasemapFacade::attribution() const
{
    QStringList parts;
    if (m_data) {
        for (const BasemapLayer &layer : m_data->layers) {
            if (!layer.failed && layer.spec.visible && !layer.spec.attribution.isEmpty() &&
                !parts.contains(layer.spec.attribution))
                parts.append(layer.spec.attribution);
        }
    }
    return parts.join(QStringLiteral(" · "));
}

QVariantList BasemapFacade::layers() const
{
    QVariantList out;
    if (!m_data)
        return out;
    for (const BasemapLayer &layer : m_data->layers)
        out.append(QVariantMap{{QStringLiteral("id"), layer.spec.id},
                               {QStringLiteral("name"), layer.spec.name},
                               {QStringLiteral("nameEn"), layer.spec.nameEn},
                               {QStringLiteral("visible"), layer.spec.visible},
                               {QStringLiteral("failed"), layer.failed},
                               {QStringLiteral("network"), layer.spec.network}});
    return out;
}

bool BasemapFacade::isLayerVisible(const QString &id) const
{
    if (m_data) {
        for (const BasemapLayer &layer : m_data->layers) {
            if (layer.spec.id == id)
                return layer.spec.visible;
        }
    }
    return false;
}

void BasemapFacade::setLayerVisible(const QString &id, bool visible)
{
    if (!m_data || isLayerVisible(id) == visible)
        return;
    // A new immutable snapshot: worker threads may still be drawing tiles from the old one.
    auto data = std::make_shared<BasemapData>(*m_data);
    bool found = false;
    for (BasemapLayer &layer : data->layers) {
        if (layer.spec.id == id) {
            layer.spec.visible = visible;
            found = true;
        }
    }
    if (!found)
        return;
    data->generation = nextGeneration();
    m_data = std::move(data);
    Q_EMIT changed();
}

} // namespace gwanje
