import QtQuick
import QtQuick.Layouts
import Gwanje
import Gwanje.Ui

// Counts of every asset kind in the city, then per district.
Rectangle {
    id: panel
    color: Theme.panel

    function num(n) {
        return n.toLocaleString(Qt.locale(), "f", 0)
    }

    Rectangle {
        anchors.left: parent.left
        width: 1
        height: parent.height
        color: Theme.border
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 14
        spacing: 10

        Text {
            text: qsTr("City assets")
            color: Theme.text
            font.pixelSize: 16
            font.bold: true
        }

        GridLayout {
            Layout.fillWidth: true
            columns: 2
            columnSpacing: 8
            rowSpacing: 8

            CountTile {
                objectName: "cameraSitesTile"
                Layout.fillWidth: true
                label: qsTr("CCTV sites")
                value: Assets.cameraSites
                detail: qsTr("%1 cameras").arg(panel.num(Assets.cameras))
                swatch: Theme.camera
            }
            CountTile {
                objectName: "wifiTile"
                Layout.fillWidth: true
                label: qsTr("Public WiFi APs")
                value: Assets.wifiAps
                swatch: Theme.wifi
            }
            CountTile {
                objectName: "sensorsTile"
                Layout.fillWidth: true
                label: qsTr("Sensors")
                value: Assets.sensors
                detail: qsTr("S-DoT air, u-Green water")
                swatch: Theme.sensor
            }
            CountTile {
                objectName: "streetlightsTile"
                Layout.fillWidth: true
                label: qsTr("Streetlights")
                value: Assets.streetlights
                swatch: Theme.streetlight
            }
            CountTile {
                objectName: "sheltersTile"
                Layout.fillWidth: true
                label: qsTr("u-Shelters")
                value: Assets.shelters
                swatch: Theme.shelter
            }
            CountTile {
                objectName: "devicesTile"
                Layout.fillWidth: true
                label: qsTr("Safety devices")
                value: Devices.count
                detail: Devices.sosCount > 0 ? qsTr("%n in SOS", "", Devices.sosCount) : qsTr("no SOS")
                swatch: Devices.sosCount > 0 ? Theme.sos : Theme.device
            }
            CountTile {
                objectName: "districtsTile"
                Layout.fillWidth: true
                label: qsTr("Districts")
                value: Assets.districtCount
                detail: qsTr("%1 dong").arg(panel.num(Assets.dongCount))
                swatch: "#9db4d6"
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.topMargin: 6
            Text {
                Layout.fillWidth: true
                text: qsTr("By district")
                color: Theme.text
                font.pixelSize: 14
                font.bold: true
            }
            Text { Layout.preferredWidth: 58; horizontalAlignment: Text.AlignRight; text: qsTr("CCTV"); color: Theme.camera; font.pixelSize: 11 }
            Text { Layout.preferredWidth: 52; horizontalAlignment: Text.AlignRight; text: qsTr("WiFi"); color: Theme.wifi; font.pixelSize: 11 }
            Text { Layout.preferredWidth: 44; horizontalAlignment: Text.AlignRight; text: qsTr("S-DoT"); color: Theme.sensor; font.pixelSize: 11 }
        }

        ListView {
            id: districtList
            objectName: "districtList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: Assets.districts
            boundsBehavior: Flickable.StopAtBounds
            delegate: Rectangle {
                id: row
                required property int index
                required property string name
                required property string nameEn
                required property int cameraSites
                required property int wifiAps
                required property int sensors
                width: ListView.view.width
                height: 26
                color: index % 2 ? "transparent" : Theme.panelRaised

                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 6
                    anchors.rightMargin: 2
                    Text {
                        Layout.fillWidth: true
                        text: Qt.uiLanguage === "en" && row.nameEn.length > 0 ? row.nameEn : row.name
                        color: Theme.text
                        font.pixelSize: 13
                        elide: Text.ElideRight
                    }
                    Text { Layout.preferredWidth: 58; horizontalAlignment: Text.AlignRight; text: row.cameraSites.toLocaleString(Qt.locale(), "f", 0); color: Theme.text; font.pixelSize: 12 }
                    Text { Layout.preferredWidth: 52; horizontalAlignment: Text.AlignRight; text: row.wifiAps.toLocaleString(Qt.locale(), "f", 0); color: Theme.text; font.pixelSize: 12 }
                    Text { Layout.preferredWidth: 44; horizontalAlignment: Text.AlignRight; text: row.sensors.toLocaleString(Qt.locale(), "f", 0); color: Theme.text; font.pixelSize: 12 }
                }
            }
        }
    }
}
