import QtQuick
import Gwanje

// A square map button with a one-glyph label.
Rectangle {
    id: button
    property string label
    property string tooltip
    signal clicked

    width: 34
    height: 34
    radius: 4
    color: mouse.pressed ? Theme.accent : (mouse.containsMouse ? Theme.panelRaised : Theme.panel)
    border.color: Theme.border

    Accessible.role: Accessible.Button
    Accessible.name: tooltip

    Text {
        anchors.centerIn: parent
        text: button.label
        color: Theme.text
        font.pixelSize: 18
        font.bold: true
    }
    MouseArea {
        id: mouse
        anchors.fill: parent
        hoverEnabled: true
        onClicked: button.clicked()
    }
}
