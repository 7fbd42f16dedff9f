import QtQuick
import Gwanje

// A tab of the side column; `alert` colours it while something urgent waits there.
Rectangle {
    id: tab
    property alias text: label.text
    property bool checked: false
    property bool alert: false
    signal clicked

    implicitHeight: 32
    color: tab.checked ? Theme.panel : Theme.window
    Accessible.role: Accessible.PageTab
    Accessible.name: label.text

    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 2
        color: tab.alert ? Theme.sos : tab.checked ? Theme.accent : Theme.border
    }
    Text {
        id: label
        anchors.centerIn: parent
        color: tab.alert ? Theme.sos : tab.checked ? Theme.text : Theme.textDim
        font.pixelSize: Theme.fontNormal
        font.bold: tab.checked
    }
    MouseArea {
        anchors.fill: parent
        onClicked: tab.clicked()
    }
}
