import QtQuick
import QtQuick.Layouts
import Gwanje

// Which marker means what.
Rectangle {
    implicitWidth: grid.implicitWidth + 20
    implicitHeight: grid.implicitHeight + 16
    color: Qt.rgba(0.06, 0.1, 0.17, 0.85)
    border.color: Theme.border
    radius: 4

    GridLayout {
        id: grid
        anchors.centerIn: parent
        columns: 4 // two entries a row: the legend stays low over the map
        columnSpacing: 8
        rowSpacing: 4

        Rectangle { width: 9; height: 9; color: Theme.camera }
        Text { text: qsTr("CCTV site"); color: Theme.text; font.pixelSize: Theme.fontSmall }
        Rectangle { width: 9; height: 9; rotation: 45; color: Theme.wifi }
        Text { text: qsTr("Public WiFi AP"); color: Theme.text; font.pixelSize: Theme.fontSmall }
        Text { text: "▲"; color: Theme.sensor; font.pixelSize: 10 }
        Text { text: qsTr("Sensor (air, water)"); color: Theme.text; font.pixelSize: Theme.fontSmall }
        Rectangle { width: 13; height: 6; color: Theme.shelter }
        Text { text: qsTr("u-Shelter bus stop"); color: Theme.text; font.pixelSize: Theme.fontSmall }
        Rectangle { width: 6; height: 6; radius: 3; color: Theme.streetlight }
        Text { text: qsTr("Streetlight"); color: Theme.text; font.pixelSize: Theme.fontSmall }
        Rectangle { width: 9; height: 9; radius: 4.5; color: Theme.device }
        Text { text: qsTr("Safety device (wearer)"); color: Theme.text; font.pixelSize: Theme.fontSmall }
        Rectangle { width: 11; height: 11; radius: 5.5; color: Theme.sos }
        Text { text: qsTr("SOS"); color: Theme.text; font.pixelSize: Theme.fontSmall }
        Rectangle { width: 14; height: 2; color: "#9db4d6" }
        Text { text: qsTr("District (gu)"); color: Theme.text; font.pixelSize: Theme.fontSmall }
    }
}
