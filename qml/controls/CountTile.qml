import QtQuick
import QtQuick.Layouts
import Gwanje

// One headline number with its label, e.g. the CCTV sites in the city.
Rectangle {
    id: tile
    property string label
    property int value
    property string detail
    property color swatch: Theme.accent
    property alias valueItem: valueText

    implicitHeight: 72
    radius: 4
    color: Theme.panelRaised
    border.color: Theme.border

    Rectangle {
        width: 4
        height: parent.height - 16
        anchors.left: parent.left
        anchors.leftMargin: 8
        anchors.verticalCenter: parent.verticalCenter
        color: tile.swatch
    }
    ColumnLayout {
        anchors.fill: parent
        anchors.leftMargin: 20
        anchors.topMargin: 8
        anchors.bottomMargin: 8
        spacing: 0
        Text {
            text: tile.label
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall
        }
        Text {
            id: valueText
            text: tile.value.toLocaleString(Qt.locale(), "f", 0)
            color: Theme.text
            font.pixelSize: 22
            font.bold: true
        }
        Text {
            visible: tile.detail.length > 0
            text: tile.detail
            color: Theme.textDim
            font.pixelSize: 11
        }
    }
}
