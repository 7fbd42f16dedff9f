#include "DistrictSummaryModel.h"

#include <algorithm>

namespace gwanje {

DistrictSummaryModel::DistrictSummaryModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void DistrictSummaryModel::setRegistry(std::shared_ptr<const AssetRegistry> registry)
{
    QList<Row> rows;
    if (registry) {
        const auto &districts = registry->districts();
        const auto &counts = registry->countsPerDistrict();
        const auto &cameras = registry->camerasPerDistrict();
        for (std::size_t i = 0; i < districts.size(); ++i) {
            Row r;
            r.name = districts[i].name;
            r.nameEn = districts[i].nameEn;
            r.code = districts[i].code;
            r.cameraSites = counts[i][std::size_t(AssetKind::CameraSite)];
            r.wifiAps = counts[i][std::size_t(AssetKind::WifiAp)];
            r.sensors = counts[i][std::size_t(AssetKind::Sensor)];
            r.cameras = cameras[i];
            rows.append(r);
        }
        // Hangul syllables are in 가나다 order in Unicode, so a code-point sort is the Korean order.
        std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) { return a.name < b.name; });
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int DistrictSummaryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant DistrictSummaryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return r.name;
    case NameEnRole:
        return r.nameEn;
    case CodeRole:
        return r.code;
    case CameraSitesRole:
        return r.cameraSites;
    case CamerasRole:
        return r.cameras;
    case WifiApsRole:
        return r.wifiAps;
    case SensorsRole:
        return r.sensors;
    default:
        return {};
    }
}

QHash<int, QByteArray> DistrictSummaryModel::roleNames() const
{
    return {
        {NameRole, "name"},       {NameEnRole, "nameEn"},   {CodeRole, "code"},       {CameraSitesRole, "cameraSites"},
        {CamerasRole, "cameras"}, {WifiApsRole, "wifiAps"}, {SensorsRole, "sensors"},
    };
}

} // namespace gwanje
