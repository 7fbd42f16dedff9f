#pragma once

#include "assets/AssetRegistry.h"

#include <QAbstractListModel>
#include <QQmlEngine>

#include <memory>

namespace gwanje {

// One row per district with its asset counts, in Korean name order. GUI thread.
class DistrictSummaryModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("DistrictSummaryModel is provided by Assets.districts")

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        NameEnRole,
        CodeRole,
        CameraSitesRole,
        CamerasRole,
        WifiApsRole,
        SensorsRole,
    };
    Q_ENUM(Role)

    explicit DistrictSummaryModel(QObject *parent = nullptr);

    void setRegistry(std::shared_ptr<const AssetRegistry> registry);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Row
    {
        QString name, nameEn, code;
        int cameraSites = 0, cameras = 0, wifiAps = 0, sensors = 0;
    };
    QList<Row> m_rows;
};

} // namespace gwanje
