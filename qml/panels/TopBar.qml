import QtQuick
import QtQuick.Layouts
import Gwanje

Rectangle {
    id: bar
    implicitHeight: 44
    color: Theme.panel

    property date now: new Date()

    Timer {
        interval: 1000
        running: true
        repeat: true
        onTriggered: bar.now = new Date()
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 16
        anchors.rightMargin: 16
        spacing: 14

        Text {
            text: qsTr("Gwanje")
            color: Theme.accent
            font.pixelSize: Theme.fontLarge
            font.bold: true
        }
        Text {
            text: qsTr("Seoul integrated operations center")
            color: Theme.text
            font.pixelSize: Theme.fontNormal
        }
        Item {
            Layout.fillWidth: true
        }
        Text {
            text: qsTr("Demo: built-in Seoul data")
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall
        }
        Text {
            objectName: "clock"
            text: bar.now.toLocaleString(Qt.locale(), "yyyy-MM-dd HH:mm:ss")
            color: Theme.text
            font.pixelSize: Theme.fontNormal
            font.family: "monospace"
        }
    }
    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.border
    }
}
