#pragma once

#include "engine/Engine.h"

#include <QObject>
#include <QPointF>
#include <QQmlEngine>
#include <QTimer>

#include <functional>
#include <vector>

namespace gwanje {

// QML singleton `Devices`: the live safety devices for the views. Polls a snapshot of the
// engine's device state a few times a second (never one QObject per device). The composition
// root creates it and injects where snapshots come from. GUI thread.
class DevicesFacade : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Devices)
    QML_SINGLETON
    Q_PROPERTY(int count READ count NOTIFY updated)
    Q_PROPERTY(int sosCount READ sosCount NOTIFY updated)

public:
    using Provider = std::function<void(std::vector<DevicePoint> &)>;
    // The stored track of a device between two times (the store's query), lon/lat in time order.
    using TrackProvider = std::function<std::vector<QPointF>(quint32 source, qint64 fromMs, qint64 toMs)>;
    // Events worth a heat map (lon/lat and a weight) between two source times: the store's query.
    struct HeatPoint
    {
        double longitude, latitude;
        float weight;
    };
    using HeatProvider = std::function<std::vector<HeatPoint>(qint64 fromMs, qint64 toMs)>;
    // Fixed assets whose status changed after a version (sensor grades, APs, cameras): appends
    // them and returns the current version (Engine::assetStatus).
    using StatusProvider = std::function<quint64(quint64 since, std::vector<AssetStatusPoint> &out)>;
    static constexpr qint64 heatWindowMinutes = 60;
    static constexpr qint64 sosTrackMinutes = 30;

    // No default argument: see AssetsFacade.
    explicit DevicesFacade(QObject *parent);
    static DevicesFacade *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);
    static void setInstance(DevicesFacade *instance);

    // Starts polling provider every intervalMs (and once right away).
    void setProvider(Provider provider, int intervalMs = 250);
    // Optional: tracks of the devices in SOS are drawn from the store.
    void setTrackProvider(TrackProvider provider) { m_trackProvider = std::move(provider); }
    // Optional: the events of the last heatWindowMinutes, asked for on a worker thread every few
    // seconds while some view wants them (setHeatWanted). The provider must be thread-safe.
    void setHeatProvider(HeatProvider provider) { m_heatProvider = std::move(provider); }
    void setHeatWanted(bool wanted);
    void setStatusProvider(StatusProvider provider) { m_statusProvider = std::move(provider); }
    // The safe zones of a wearer's device (outlines, lon/lat), drawn while it is selected.
    using ZoneProvider = std::function<std::vector<std::vector<QPointF>>(quint32 source)>;
    void setZoneProvider(ZoneProvider provider) { m_zoneProvider = std::move(provider); }
    std::vector<std::vector<QPointF>> safeZones(quint32 source) const
    {
        return m_zoneProvider ? m_zoneProvider(source) : std::vector<std::vector<QPointF>>{};
    }
    // A source's index (SourceDirectory) by its id, -1 when unknown: how an alarm finds its wearer.
    using SourceLookup = std::function<qint64(const QString &id)>;
    void setSourceLookup(SourceLookup lookup) { m_sourceLookup = std::move(lookup); }
    qint64 sourceIndex(const QString &id) const { return m_sourceLookup ? m_sourceLookup(id) : -1; }
    // The next refresh() hands out every asset's status again (after the registry changed).
    void resendStatus() { m_statusVersion = 0; }
    // What changed in the last refresh() (the whole table on the first one).
    const std::vector<AssetStatusPoint> &statusChanges() const { return m_statusChanges; }
    const std::vector<HeatPoint> &heat() const { return m_heat; }
    quint64 heatGeneration() const { return m_heatGeneration; }
    void refresh();

    int count() const { return int(m_points.size()); }
    int sosCount() const { return m_sos; }
    const std::vector<DevicePoint> &points() const { return m_points; }
    // The last sosTrackMinutes of each device in SOS (lon/lat), refreshed every few seconds (the
    // queries run on a worker thread: updated() tells when they are in).
    const std::vector<std::vector<QPointF>> &sosTracks() const { return m_sosTracks; }

Q_SIGNALS:
    void updated();
    void heatUpdated();

private:
    Provider m_provider;
    TrackProvider m_trackProvider;
    HeatProvider m_heatProvider;
    StatusProvider m_statusProvider;
    ZoneProvider m_zoneProvider;
    SourceLookup m_sourceLookup;
    quint64 m_statusVersion = 0;
    std::vector<AssetStatusPoint> m_statusChanges;
    bool m_heatWanted = false;
    bool m_heatBusy = false;
    qint64 m_heatAtMs = 0;
    std::vector<HeatPoint> m_heat;
    quint64 m_heatGeneration = 0;
    void refreshHeat(qint64 nowMs);
    struct TrackRequest
    {
        quint32 source;
        qint64 fromMs, toMs;
    };
    void refreshTracks(std::vector<TrackRequest> wanted);
    std::vector<std::vector<QPointF>> m_sosTracks;
    qint64 m_tracksAtMs = 0;
    bool m_tracksBusy = false;
    QTimer m_timer;
    std::vector<DevicePoint> m_points;
    int m_sos = 0;
};

} // namespace gwanje
