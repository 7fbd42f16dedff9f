#pragma once

#include "DistrictSummaryModel.h"
#include "assets/AssetRegistry.h"
#include "assets/CameraView.h"
#include "data/LoadReport.h"

#include <QObject>
#include <QQmlEngine>
#include <QStringList>

#include <memory>

namespace gwanje {

class AssetSearchModel;

// QML singleton `Assets`: the loaded asset registry and what loading it reported, for the views.
// The composition root creates one per process and hands it out through create(); it lives in the
// GUI thread and is owned by the composition root, not by the QML engine.
class AssetsFacade : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Assets)
    QML_SINGLETON
    Q_PROPERTY(bool loaded READ isLoaded NOTIFY registryChanged)
    Q_PROPERTY(int cameraSites READ cameraSites NOTIFY registryChanged)
    Q_PROPERTY(int cameras READ cameras NOTIFY registryChanged)
    Q_PROPERTY(int wifiAps READ wifiAps NOTIFY registryChanged)
    Q_PROPERTY(int sensors READ sensors NOTIFY registryChanged)
    Q_PROPERTY(int streetlights READ streetlights NOTIFY registryChanged)
    Q_PROPERTY(int shelters READ shelters NOTIFY registryChanged)
    Q_PROPERTY(int districtCount READ districtCount NOTIFY registryChanged)
    Q_PROPERTY(int dongCount READ dongCount NOTIFY registryChanged)
    Q_PROPERTY(int rejectedRows READ rejectedRows NOTIFY registryChanged)
    Q_PROPERTY(int datasetCount READ datasetCount NOTIFY registryChanged)
    Q_PROPERTY(int datasetsLoaded READ datasetsLoaded NOTIFY registryChanged)
    Q_PROPERTY(double loadMilliseconds READ loadMilliseconds NOTIFY registryChanged)
    Q_PROPERTY(QStringList problems READ problems NOTIFY registryChanged)
    Q_PROPERTY(QString attribution READ attribution NOTIFY registryChanged)
    Q_PROPERTY(QString dataDirectory READ dataDirectory NOTIFY registryChanged)
    Q_PROPERTY(gwanje::DistrictSummaryModel *districts READ districts CONSTANT)
    // The search box's results over this registry.
    Q_PROPERTY(gwanje::AssetSearchModel *search READ search CONSTANT)
    // What the CCTV sites' free-text view directions say: sites drawn with view cones (a heading
    // was read), as 360° range circles, and sites whose text could not be read.
    Q_PROPERTY(int camerasWithHeading READ camerasWithHeading NOTIFY registryChanged)
    Q_PROPERTY(int camerasPanoramic READ camerasPanoramic NOTIFY registryChanged)
    Q_PROPERTY(int cameraViewsUnread READ cameraViewsUnread NOTIFY registryChanged)

public:
    // No default argument on purpose: Qt 6.4 prefers a default constructor over create(), which
    // would give QML its own empty instance.
    explicit AssetsFacade(QObject *parent);
    ~AssetsFacade() override;

    // QML's factory. setInstance() must have been called before the first QML engine asks.
    static AssetsFacade *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);
    static void setInstance(AssetsFacade *instance);

    void setLoadResult(std::shared_ptr<const AssetRegistry> registry, LoadReport report, double elapsedMs);
    std::shared_ptr<const AssetRegistry> registry() const { return m_registry; }
    const LoadReport &report() const { return m_report; }

    bool isLoaded() const { return m_registry != nullptr; }
    int cameraSites() const;
    int cameras() const;
    int wifiAps() const;
    int sensors() const;
    int streetlights() const;
    int shelters() const;
    int districtCount() const;
    int dongCount() const;
    int rejectedRows() const { return int(m_report.rejectedCount()); }
    int datasetCount() const { return int(m_report.datasets.size()); }
    int datasetsLoaded() const;
    double loadMilliseconds() const { return m_elapsedMs; }
    QStringList problems() const { return m_problems; }
    QString attribution() const;
    QString dataDirectory() const { return m_report.dataDir; }
    DistrictSummaryModel *districts() const { return m_districts; }
    AssetSearchModel *search() const { return m_search; }
    int camerasWithHeading() const { return m_viewStats.headingKnown; }
    int camerasPanoramic() const { return m_viewStats.panoramic; }
    int cameraViewsUnread() const { return m_viewStats.unknown; }
    // The parsed view of asset i (a CCTV site), or nullptr for other kinds (the registry's).
    const CameraView *cameraView(std::size_t asset) const
    {
        return m_registry ? m_registry->cameraView(asset) : nullptr;
    }

    // One translated sentence for a data problem, for the banner.
    static QString describe(const DataProblem &problem);

Q_SIGNALS:
    void registryChanged();

private:
    std::shared_ptr<const AssetRegistry> m_registry;
    LoadReport m_report;
    QStringList m_problems;
    double m_elapsedMs = 0.0;
    CameraViewStats m_viewStats;
    DistrictSummaryModel *m_districts;
    AssetSearchModel *m_search;
};

} // namespace gwanje
