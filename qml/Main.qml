import QtQuick
import QtQuick.Layouts
import QtQuick.Window
import QtPositioning
import Gwanje.Ui

Window {
    id: root
    width: 1600
    height: 900
    minimumWidth: 1024
    minimumHeight: 640
    visible: true
    color: Theme.window
    title: qsTr("Gwanje — Seoul integrated operations console")

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        TopBar {
            Layout.fillWidth: true
        }

        ProblemBanner {
            Layout.fillWidth: true
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            MapPane {
                id: mapPane
                Layout.fillWidth: true
                Layout.fillHeight: true
            }

            // The CCTV wall beside the map (--wall off hides it).
            VideoWall {
                objectName: "videoWall"
                visible: Wall.shown
                Layout.fillWidth: false
                Layout.preferredWidth: Math.round(root.width * 0.36)
                Layout.fillHeight: true
            }

            // The desk's alarm load, then the alarms and the city's asset counts as tabs.
            ColumnLayout {
                id: side
                property int tab: 0
                Layout.fillWidth: false // a layout in a layout fills by default
                Layout.preferredWidth: 380
                Layout.fillHeight: true
                spacing: 0

                KpiStrip {
                    objectName: "kpiStrip"
                    Layout.fillWidth: true
                }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: 0
                    TabButton {
                        objectName: "alarmsTab"
                        Layout.fillWidth: true
                        text: Alarms.unacknowledgedCount > 0 ? qsTr("Alarms (%1)").arg(Alarms.unacknowledgedCount) : qsTr("Alarms")
                        alert: Alarms.urgent
                        checked: side.tab === 0
                        onClicked: side.tab = 0
                    }
                    TabButton {
                        objectName: "cityTab"
                        Layout.fillWidth: true
                        text: qsTr("City assets")
                        checked: side.tab === 1
                        onClicked: side.tab = 1
                    }
                }
                StackLayout {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    currentIndex: side.tab

                    AlarmPanel {
                        objectName: "alarmPanel"
                    }
                    SidePanel {
                        objectName: "sidePanel"
                    }
                }
            }
        }

        // An SOS goes to the alarms tab; a selected alarm flies the map there and selects its
        // source (a wearer shows its recent track and safe zones).
        Connections {
            target: Alarms
            function onUrgentChanged() {
                if (Alarms.urgent)
                    side.tab = 0;
            }
            function onSelected(alarmId: double, latitude: double, longitude: double, source: string) {
                if (!isNaN(latitude) && !isNaN(longitude))
                    mapPane.map.flyTo(QtPositioning.coordinate(latitude, longitude), Math.max(mapPane.map.zoom, 15));
                if (!mapPane.map.selectSource(source))
                    mapPane.map.clearSelection();
            }
        }

        StatusBar {
            Layout.fillWidth: true
            map: mapPane.map
        }
    }
}
