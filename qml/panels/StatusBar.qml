import QtQuick
import QtQuick.Layouts
import Gwanje
import Gwanje.Ui

// What was loaded, what was rejected, where the cursor is.
Rectangle {
    id: bar
    property MapView map

    implicitHeight: 28
    color: Theme.panel

    function num(n) {
        return n.toLocaleString(Qt.locale(), "f", 0)
    }

    Rectangle {
        anchors.top: parent.top
        width: parent.width
        height: 1
        color: Theme.border
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 12
        spacing: 18

        Text {
            objectName: "loadStatus"
            text: Assets.loaded
                  ? qsTr("Data loaded: %1 of %2 data sets in %3 ms").arg(Assets.datasetsLoaded).arg(Assets.datasetCount)
                        .arg(Math.round(Assets.loadMilliseconds))
                  : qsTr("Loading data…")
            color: Assets.datasetsLoaded < Assets.datasetCount ? Theme.warning : Theme.text
            font.pixelSize: Theme.fontSmall
        }
        Text {
            objectName: "rejectedStatus"
            visible: Assets.loaded
            text: qsTr("%n row(s) rejected", "", Assets.rejectedRows)
            color: Assets.rejectedRows > 0 ? Theme.warning : Theme.textDim
            font.pixelSize: Theme.fontSmall
        }
        Text {
            objectName: "historyStatus"
            text: !History.configured ? qsTr("History: not kept")
                                      : History.healthy ? qsTr("History: %1 records saved").arg(bar.num(History.stored))
                                                        : qsTr("History: not saving")
            color: History.configured && !History.healthy ? Theme.warning : Theme.textDim
            font.pixelSize: Theme.fontSmall
        }
        Item {
            Layout.fillWidth: true
        }
        Text {
            visible: bar.map !== null && bar.map.cursorInside
            text: bar.map ? qsTr("%1 N, %2 E").arg(bar.map.cursorCoordinate.latitude.toFixed(5))
                                                .arg(bar.map.cursorCoordinate.longitude.toFixed(5)) : ""
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall
            font.family: "monospace"
        }
        Text {
            text: bar.map ? qsTr("Zoom %1").arg(bar.map.zoom.toFixed(1)) : ""
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall
        }
    }
}
