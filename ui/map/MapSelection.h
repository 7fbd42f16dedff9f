#pragma once

#include "assets/Asset.h"
#include "assets/CameraView.h"
#include "events/AssetStatus.h"
#include "events/Event.h"

#include <QCoreApplication>
#include <QGeoCoordinate>
#include <QString>
#include <QtQmlIntegration/qqmlintegration.h>

#include <cmath>

namespace gwanje {

// What the operator selected on the map, in the words of its detail card (qml/map/
// AssetDetailPanel): a registry asset's facts and latest status, or a wearer's device number
// (never where they are or who their guardian is). Empty (marker -1) when nothing is selected;
// fields that do not apply are empty strings, zones is -1 for anything but a device. A value.
struct MapSelection
{
    Q_GADGET
    QML_VALUE_TYPE(mapSelection)
    Q_DECLARE_TR_FUNCTIONS(gwanje::MapSelection)
    Q_PROPERTY(bool empty READ isEmpty)
    Q_PROPERTY(int marker MEMBER marker)
    Q_PROPERTY(QString title MEMBER title)
    Q_PROPERTY(double latitude MEMBER latitude)
    Q_PROPERTY(double longitude MEMBER longitude)
    Q_PROPERTY(QGeoCoordinate coordinate READ coordinate)
    Q_PROPERTY(QString kind MEMBER kind)
    Q_PROPERTY(QString medium MEMBER medium)
    Q_PROPERTY(QString id MEMBER id)
    Q_PROPERTY(QString name MEMBER name)
    Q_PROPERTY(QString address MEMBER address)
    Q_PROPERTY(QString purpose MEMBER purpose)
    Q_PROPERTY(QString direction MEMBER direction)
    Q_PROPERTY(QString setting MEMBER setting)
    Q_PROPERTY(QString stream MEMBER stream)
    Q_PROPERTY(int count MEMBER count)
    Q_PROPERTY(QString view MEMBER view)
    Q_PROPERTY(QString district MEMBER district)
    Q_PROPERTY(QString pm10 MEMBER pm10)
    Q_PROPERTY(QString pm25 MEMBER pm25)
    Q_PROPERTY(QString grade MEMBER grade)
    Q_PROPERTY(QString lamp MEMBER lamp)
    Q_PROPERTY(QString power MEMBER power)
    Q_PROPERTY(QString state MEMBER state)
    Q_PROPERTY(int zones MEMBER zones)
    Q_PROPERTY(bool alarm MEMBER alarm)

public:
    int marker = -1; // the marker of MapView's MarkerLayer
    QString title;   // describeAsset() or describeDevice(): also the hover text
    double latitude = 0.0;
    double longitude = 0.0;
    QString kind;   // assetKindName(), or "device"
    QString medium; // sensors: sensorMediumName()
    QString id, name, address, purpose, direction, setting, stream;
    int count = 0;
    QString view; // a camera site's view as read: describeView()
    QString district;
    QString pm10, pm25, grade, lamp, power, state; // the latest status, as words
    int zones = -1;                                // a device's safe zones (-1: not a device, or no Devices facade)
    bool alarm = false;                            // a device in SOS

    bool isEmpty() const { return marker < 0; }
    QGeoCoordinate coordinate() const { return isEmpty() ? QGeoCoordinate() : QGeoCoordinate(latitude, longitude); }
    friend bool operator==(const MapSelection &, const MapSelection &) = default;

    // Registry asset `marker` at lonLat; view and status when there are any; district is its name.
    static MapSelection ofAsset(int marker, QPointF lonLat, const Asset &asset, const QString &district,
                                const CameraView *view, const AssetStatusPoint *status);
    // A wearer's device (its source index); zones < 0 when unknown.
    static MapSelection ofDevice(int marker, quint32 source, QPointF lonLat, int zones, bool alarm);

    // One line naming a marker: "CCTV site · <name>", "Safety device 12".
    static QString describeAsset(const Asset &asset);
    static QString describeDevice(quint32 source);
    static QString describeView(const CameraView &view);
    static QString gradeText(AirGrade grade);
    static QString lampText(LampState state);
};

} // namespace gwanje
