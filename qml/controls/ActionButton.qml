import QtQuick
import Gwanje

// A text button for commands (acknowledge, shelve...); `primary` stands out.
Rectangle {
    id: button
    property alias text: label.text
    property bool primary: false
    signal clicked

    implicitWidth: label.implicitWidth + 20
    implicitHeight: 28
    radius: 4
    opacity: enabled ? 1.0 : 0.4
    color: mouse.pressed ? Theme.accent : button.primary ? Theme.accentDim : (mouse.containsMouse ? Theme.panelRaised : Theme.panel)
    border.color: button.primary ? Theme.accent : Theme.border

    Accessible.role: Accessible.Button
    Accessible.name: label.text

    Text {
        id: label
        anchors.centerIn: parent
        color: Theme.text
        font.pixelSize: Theme.fontSmall
    }
    MouseArea {
        id: mouse
        anchors.fill: parent
        hoverEnabled: true
        onClicked: button.clicked()
    }
}
