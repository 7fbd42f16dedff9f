#include "AssetSearchModel.h"

#include <algorithm>

namespace gwanje {

namespace {

// 0: equal, 1: starts with, 2: contains, -1: no match (case-insensitive).
int matchRank(const QString &text, const QString &query)
{
    if (text.isEmpty())
        return -1;
    const int at = text.indexOf(query, 0, Qt::CaseInsensitive);
    if (at < 0)
        return -1;
    if (at == 0)
        return text.size() == query.size() ? 0 : 1;
    return 2;
}

QString kindTitle(AssetKind kind)
{
    switch (kind) {
    case AssetKind::CameraSite:
        return AssetSearchModel::tr("CCTV site");
    case AssetKind::WifiAp:
        return AssetSearchModel::tr("Public WiFi");
    case AssetKind::Sensor:
        return AssetSearchModel::tr("Sensor");
    case AssetKind::Streetlight:
        return AssetSearchModel::tr("Streetlight");
    case AssetKind::Shelter:
        return AssetSearchModel::tr("u-Shelter");
    }
    return {};
}

} // namespace

AssetSearchModel::AssetSearchModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void AssetSearchModel::setAssets(AssetsFacade *assets)
{
    if (m_assets == assets)
        return;
    if (m_assets)
        disconnect(m_assets, nullptr, this, nullptr);
    m_assets = assets;
    if (m_assets)
        connect(m_assets, &AssetsFacade::registryChanged, this, &AssetSearchModel::search);
    search();
    Q_EMIT assetsChanged();
}

void AssetSearchModel::setQuery(const QString &query)
{
    if (m_query == query)
        return;
    m_query = query;
    search();
    Q_EMIT queryChanged();
}

void AssetSearchModel::setLimit(int limit)
{
    limit = std::max(1, limit);
    if (m_limit == limit)
        return;
    m_limit = limit;
    search();
    Q_EMIT queryChanged();
}

void AssetSearchModel::search()
{
    std::vector<Result> results;
    const QString q = m_query.trimmed();
    const auto registry = m_assets ? m_assets->registry() : nullptr;
    if (registry && !q.isEmpty()) {
        // Areas first among equals: a district's name is what an operator most often types.
        auto addRegions = [&](const std::vector<Region> &regions, const QString &kind, double zoom) {
            for (const Region &r : regions) {
                const int rank = std::min(matchRank(r.name, q) < 0 ? 9 : matchRank(r.name, q),
                                          matchRank(r.nameEn, q) < 0 ? 9 : matchRank(r.nameEn, q));
                if (rank == 9)
                    continue;
                Result res;
                res.title = r.name;
                res.subtitle = kind == QStringLiteral("district") ? tr("District") : tr("Dong");
                if (r.parent >= 0 && std::size_t(r.parent) < registry->districts().size())
                    res.subtitle =
                        registry->districts()[std::size_t(r.parent)].name + QStringLiteral(" · ") + res.subtitle;
                res.kind = kind;
                res.latitude = r.labelPoint.y();
                res.longitude = r.labelPoint.x();
                res.zoom = zoom;
                res.rank = rank * 10;
                results.push_back(std::move(res));
            }
        };
        addRegions(registry->districts(), QStringLiteral("district"), 13.0);
        addRegions(registry->dongs(), QStringLiteral("dong"), 15.0);
        const auto &assets = registry->assets();
        for (std::size_t i = 0; i < assets.size(); ++i) {
            const Asset &a = assets[i];
            int rank = matchRank(a.id, q);
            rank = rank == 0 ? 0 : -1; // ids match whole, or through the other fields
            auto consider = [&rank](int r, int weight) {
                if (r >= 0 && (rank < 0 || r * 10 + weight < rank))
                    rank = r * 10 + weight;
            };
            consider(matchRank(a.name, q), 1);
            consider(matchRank(a.address, q), 3);
            consider(matchRank(a.sourceDistrict, q), 5);
            if (rank < 0)
                continue;
            Result res;
            res.title = a.name.isEmpty() ? a.id : a.name;
            res.subtitle = kindTitle(a.kind) + QStringLiteral(" · ") + (a.address.isEmpty() ? a.id : a.address);
            res.kind = assetKindName(a.kind);
            res.asset = int(i);
            res.latitude = a.latitude;
            res.longitude = a.longitude;
            res.zoom = 17.0;
            res.rank = rank + 1;
            results.push_back(std::move(res));
        }
        std::stable_sort(results.begin(), results.end(),
                         [](const Result &a, const Result &b) { return a.rank < b.rank; });
        if (results.size() > std::size_t(m_limit))
            results.resize(std::size_t(m_limit));
    }
    const int before = int(m_results.size());
    beginResetModel();
    m_results = std::move(results);
    endResetModel();
    if (before != int(m_results.size()))
        Q_EMIT countChanged();
}

int AssetSearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_results.size());
}

QVariant AssetSearchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Result &r = m_results[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return r.title;
    case SubtitleRole:
        return r.subtitle;
    case KindRole:
        return r.kind;
    case AssetRole:
        return r.asset;
    case LatitudeRole:
        return r.latitude;
    case LongitudeRole:
        return r.longitude;
    case ZoomRole:
        return r.zoom;
    default:
        return {};
    }
}

QHash<int, QByteArray> AssetSearchModel::roleNames() const
{
    return {{TitleRole, QByteArrayLiteral("title")},       {SubtitleRole, QByteArrayLiteral("subtitle")},
            {KindRole, QByteArrayLiteral("kind")},         {AssetRole, QByteArrayLiteral("asset")},
            {LatitudeRole, QByteArrayLiteral("latitude")}, {LongitudeRole, QByteArrayLiteral("longitude")},
            {ZoomRole, QByteArrayLiteral("zoom")}};
}

QVariantMap AssetSearchModel::get(int row) const
{
    QVariantMap out;
    if (row < 0 || row >= rowCount())
        return out;
    const QHash<int, QByteArray> names = roleNames();
    for (auto it = names.begin(); it != names.end(); ++it)
        out.insert(QString::fromLatin1(it.value()), data(index(row), it.key()));
    return out;
}

} // namespace gwanje
