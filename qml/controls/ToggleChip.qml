import QtQuick
import QtQuick.Layouts
import Gwanje

// A layer switch: a coloured swatch, a label, on or off.
Rectangle {
    id: chip
    property alias text: label.text
    property color swatch: Theme.accent
    property bool checked: true
    signal toggled

    implicitWidth: row.implicitWidth + 18
    implicitHeight: 28
    radius: 14
    color: chip.checked ? Theme.panelRaised : Theme.panel
    border.color: chip.checked ? chip.swatch : Theme.border
    opacity: chip.checked ? 1.0 : 0.6

    Accessible.role: Accessible.CheckBox
    Accessible.name: label.text
    Accessible.checked: chip.checked

    RowLayout {
        id: row
        anchors.centerIn: parent
        spacing: 6
        Rectangle {
            width: 10
            height: 10
            radius: 5
            color: chip.checked ? chip.swatch : "transparent"
            border.color: chip.swatch
        }
        Text {
            id: label
            color: Theme.text
            font.pixelSize: Theme.fontSmall
        }
    }
    MouseArea {
        anchors.fill: parent
        onClicked: {
            chip.checked = !chip.checked
            chip.toggled()
        }
    }
}
