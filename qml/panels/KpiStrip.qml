import QtQuick
import QtQuick.Layouts
import Gwanje
import Gwanje.Ui

// This desk's alarm load against ISA-18.2 / EEMUA 191: alarms in the last 10 minutes (a flood is
// more than 10), the average rate, the flood state (red while in flood), stale and chattering
// alarms.
Rectangle {
    id: strip
    implicitHeight: 40
    color: Alarms.inFlood ? Theme.floodBackground : Theme.panelRaised

    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.border
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 12
        spacing: 14

        Column {
            Text {
                objectName: "kpiCurrent"
                text: qsTr("%1 in 10 min").arg(Alarms.current10Min)
                color: Alarms.inFlood ? Theme.sos : Theme.text
                font.pixelSize: Theme.fontNormal
                font.bold: true
            }
            Text {
                text: qsTr("avg %1 · peak %2").arg(Alarms.alarmsPer10Min.toLocaleString(Qt.locale(), "f", 1))
                                              .arg(Alarms.peak10Min)
                color: Theme.textDim
                font.pixelSize: Theme.fontSmall - 1
            }
        }
        Rectangle {
            objectName: "floodBadge"
            visible: Alarms.inFlood
            implicitWidth: floodText.implicitWidth + 14
            implicitHeight: 22
            radius: 3
            color: Theme.sos
            Text {
                id: floodText
                anchors.centerIn: parent
                text: qsTr("Alarm flood")
                color: "white"
                font.pixelSize: Theme.fontSmall
                font.bold: true
            }
        }
        Item {
            Layout.fillWidth: true
        }
        Column {
            Text {
                objectName: "kpiStale"
                anchors.right: parent.right
                text: Alarms.chattering > 0 ? qsTr("Stale %1 · chattering %2").arg(Alarms.stale).arg(Alarms.chattering)
                                            : qsTr("Stale %1").arg(Alarms.stale)
                color: Alarms.stale >= 5 || Alarms.chattering > 0 ? Theme.warning : Theme.textDim
                font.pixelSize: Theme.fontSmall - 1
            }
            Text {
                anchors.right: parent.right
                text: qsTr("In flood %1% of the time").arg(Alarms.timeInFloodPercent.toLocaleString(Qt.locale(), "f", 1))
                color: Alarms.timeInFloodPercent >= 1 ? Theme.warning : Theme.textDim
                font.pixelSize: Theme.fontSmall - 1
            }
        }
    }
}
