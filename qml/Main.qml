import QtQuick
import QtQuick.Layouts
import QtQuick.Window

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

            SidePanel {
                Layout.preferredWidth: 360
                Layout.fillHeight: true
            }
        }

        StatusBar {
            Layout.fillWidth: true
            map: mapPane.map
        }
    }
}
