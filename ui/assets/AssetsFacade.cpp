#include "AssetsFacade.h"

#include "AssetSearchModel.h"

#include <QHash>

#include "QmlSingleton_p.h"
#include "UiLogging.h"

namespace gwanje {

AssetsFacade::AssetsFacade(QObject *parent)
    : QObject(parent)
    , m_districts(new DistrictSummaryModel(this))
    , m_search(new AssetSearchModel(this))
{
    m_search->setAssets(this);
}

AssetsFacade::~AssetsFacade() = default;

AssetsFacade *AssetsFacade::create(QQmlEngine *, QJSEngine *)
{
    return detail::provideSingleton<AssetsFacade>("Assets");
}

void AssetsFacade::setInstance(AssetsFacade *instance)
{
    detail::singletonSlot<AssetsFacade>() = instance;
}

void AssetsFacade::setLoadResult(std::shared_ptr<const AssetRegistry> registry, LoadReport report, double elapsedMs)
{
    m_registry = std::move(registry);
    m_report = std::move(report);
    m_elapsedMs = elapsedMs;
    m_problems.clear();
    for (const DataProblem &p : m_report.problems)
        m_problems.append(describe(p));
    m_districts->setRegistry(m_registry);
    m_viewStats = m_registry ? m_registry->cameraViewStats() : CameraViewStats{};
    if (m_registry)
        qCInfo(lcUiAssets,
               "CCTV view directions: %d with a heading, %d 360°, %d directional without heading, %d unread, %d empty",
               m_viewStats.headingKnown, m_viewStats.panoramic, m_viewStats.directional - m_viewStats.headingKnown,
               m_viewStats.unknown, m_viewStats.empty);
    Q_EMIT registryChanged();
}

int AssetsFacade::cameraSites() const
{
    return m_registry ? m_registry->count(AssetKind::CameraSite) : 0;
}

int AssetsFacade::cameras() const
{
    return m_registry ? m_registry->cameraCount() : 0;
}

int AssetsFacade::wifiAps() const
{
    return m_registry ? m_registry->count(AssetKind::WifiAp) : 0;
}

int AssetsFacade::sensors() const
{
    return m_registry ? m_registry->count(AssetKind::Sensor) : 0;
}

int AssetsFacade::streetlights() const
{
    return m_registry ? m_registry->count(AssetKind::Streetlight) : 0;
}

int AssetsFacade::shelters() const
{
    return m_registry ? m_registry->count(AssetKind::Shelter) : 0;
}

int AssetsFacade::districtCount() const
{
    return m_registry ? int(m_registry->districts().size()) : 0;
}

int AssetsFacade::dongCount() const
{
    return m_registry ? int(m_registry->dongs().size()) : 0;
}

int AssetsFacade::datasetsLoaded() const
{
    int n = 0;
    for (const DatasetSummary &d : m_report.datasets)
        n += d.loaded;
    return n;
}

QString AssetsFacade::attribution() const
{
    QStringList parts;
    for (const DatasetSummary &d : m_report.datasets) {
        if (d.loaded && !d.attribution.isEmpty() && !parts.contains(d.attribution))
            parts.append(d.attribution);
    }
    return parts.join(QStringLiteral(" · "));
}

QString AssetsFacade::describe(const DataProblem &p)
{
    switch (p.code) {
    case ErrorCode::MissingFile:
        return tr("%1: the data file is missing").arg(p.file);
    case ErrorCode::Unreadable:
        return tr("%1: the file cannot be read (%2)").arg(p.file, p.detail);
    case ErrorCode::BadMapping:
        return tr("%1: the column mapping is invalid (%2)").arg(p.file, p.detail);
    case ErrorCode::MissingColumn:
        return tr("%1: columns named in the mapping are missing (%2)").arg(p.file, p.detail);
    case ErrorCode::BadStreamUrl:
        return tr("%1: some camera stream addresses are not rtsp or http URLs; those cameras have no video")
            .arg(p.file);
    case ErrorCode::NoDataDir:
        return tr("The data folder %1 does not exist").arg(p.file);
    case ErrorCode::NoDatasets:
        return tr("The data folder %1 holds no data sets").arg(p.file);
    default:
        return tr("%1: %2").arg(p.file, p.detail);
    }
}

} // namespace gwanje
