#pragma once

#include "AssetsFacade.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QQmlEngine>

namespace gwanje {

// What the operator's search box finds: districts and dongs by name, and assets by id, name,
// address or district, best matches first (an exact id, then names that start with the text,
// then anything that contains it). At most `limit` rows. GUI thread.
class AssetSearchModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use Assets.search")
    Q_PROPERTY(gwanje::AssetsFacade *assets READ assets WRITE setAssets NOTIFY assetsChanged)
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(int limit READ limit WRITE setLimit NOTIFY queryChanged)

public:
    enum Role {
        TitleRole = Qt::UserRole + 1,
        SubtitleRole,
        KindRole,  // "camera_site", "wifi_ap", "sensor", "district", "dong"
        AssetRole, // asset index, -1 for areas
        LatitudeRole,
        LongitudeRole,
        ZoomRole, // a zoom that shows the whole result
    };

    explicit AssetSearchModel(QObject *parent = nullptr);

    AssetsFacade *assets() const { return m_assets; }
    void setAssets(AssetsFacade *assets);
    QString query() const { return m_query; }
    void setQuery(const QString &query);
    int limit() const { return m_limit; }
    void setLimit(int limit);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The row as a map of role names, for QML.
    Q_INVOKABLE QVariantMap get(int row) const;

Q_SIGNALS:
    void assetsChanged();
    void queryChanged();
    void countChanged();

private:
    struct Result
    {
        QString title, subtitle, kind;
        int asset = -1;
        double latitude = 0, longitude = 0, zoom = 17;
        int rank = 0; // lower is better
    };
    void search();

    QPointer<AssetsFacade> m_assets;
    QString m_query;
    int m_limit = 50;
    std::vector<Result> m_results;
};

} // namespace gwanje
