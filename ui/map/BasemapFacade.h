#pragma once

#include "map/MapConfig.h"
#include "map/VectorLayerData.h"

#include <QObject>
#include <QQmlEngine>
#include <QStringList>
#include <QVariantList>

#include <memory>

namespace gwanje {

// One layer of the basemap as loaded: its spec, and for a vector layer its features.
struct BasemapLayer
{
    MapLayerSpec spec;
    std::shared_ptr<const VectorLayerData> vector; // null for raster layers and failed ones
    bool failed = false;
};

// Everything the tile renderer needs, immutable once published (shared with worker threads).
struct BasemapData
{
    quint32 background = 0;
    std::vector<BasemapLayer> layers;
    quint64 generation = 0; // changes whenever what tiles show changes
    // Tiles of remote raster layers (WMS, WMTS, TMS, HTTP) are kept here across runs, so the map
    // still draws what was seen when the city's tile server is unreachable. Empty: no disk cache.
    QString diskCacheDirectory;
};

// QML singleton `Basemap`: the map's layers from a layer config file (JSON, see MapConfig), loaded
// through GDAL on a worker thread so the window stays responsive. A bad or missing source is a
// problem for the banner; the other layers still draw. The composition root owns it. GUI thread.
class BasemapFacade : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Basemap)
    QML_SINGLETON
    Q_PROPERTY(bool loaded READ isLoaded NOTIFY changed)
    Q_PROPERTY(QStringList problems READ problems NOTIFY changed)
    Q_PROPERTY(QString attribution READ attribution NOTIFY changed)
    // [{id, name, nameEn, visible, failed, network}] in drawing order, for the layer list.
    Q_PROPERTY(QVariantList layers READ layers NOTIFY changed)

public:
    // No default argument: see AssetsFacade.
    explicit BasemapFacade(QObject *parent);
    static BasemapFacade *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);
    static void setInstance(BasemapFacade *instance);

    // Starts loading a layer config file; `changed` follows when it is done.
    void load(const QString &configPath);
    // The same, in the calling thread (tests, headless tools).
    void loadNow(const QString &configPath);

    bool isLoaded() const { return m_loaded; }
    QStringList problems() const { return m_problems; }
    QString attribution() const;
    QVariantList layers() const;
    std::shared_ptr<const BasemapData> data() const { return m_data; }

    Q_INVOKABLE void setLayerVisible(const QString &id, bool visible);
    Q_INVOKABLE bool isLayerVisible(const QString &id) const;

    // The work of load(), reentrant: reads the config and every layer.
    struct Loaded
    {
        std::shared_ptr<BasemapData> data;
        QStringList problems;
    };
    static Loaded read(const QString &configPath);
    // Where remote tiles are cached on disk (default: the user's cache folder, "tiles").
    void setDiskCacheDirectory(const QString &path) { m_diskCache = path; }

Q_SIGNALS:
    void changed();

private:
    void publish(Loaded loaded);

    std::shared_ptr<const BasemapData> m_data;
    QStringList m_problems;
    bool m_loaded = false;
    quint64 m_request = 0;
    QString m_diskCache;
};

} // namespace gwanje
