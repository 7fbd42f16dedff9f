import QtQuick
import Gwanje
import Gwanje.Ui

// The basemap's layers from the layer config, in drawing order (top first): a click turns one on
// or off. A layer that could not be loaded is listed, greyed, with why in the banner.
Rectangle {
    id: list
    width: 260
    height: column.implicitHeight + 16
    radius: 6
    color: Theme.panel
    border.color: Theme.border

    // Top layer first, as they stack on the map.
    readonly property var rows: {
        const out = [];
        const all = Basemap.layers;
        for (let i = all.length - 1; i >= 0; --i)
            out.push(all[i]);
        return out;
    }

    Column {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 8
        spacing: 2

        Text {
            text: qsTr("Map layers")
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall
            bottomPadding: 4
        }
        Repeater {
            model: list.rows
            delegate: Rectangle {
                id: row
                required property var modelData
                objectName: "layer_" + modelData.id
                width: 244 // the list's width less its margins
                height: 26
                radius: 3
                color: area.containsMouse ? Theme.panelRaised : "transparent"
                opacity: row.modelData.failed ? 0.4 : 1.0

                Rectangle {
                    id: box
                    anchors.left: parent.left
                    anchors.leftMargin: 4
                    anchors.verticalCenter: parent.verticalCenter
                    width: 14
                    height: 14
                    radius: 2
                    color: row.modelData.visible && !row.modelData.failed ? Theme.accent : "transparent"
                    border.color: Theme.textDim
                }
                Text {
                    anchors.left: box.right
                    anchors.leftMargin: 8
                    anchors.right: parent.right
                    anchors.verticalCenter: parent.verticalCenter
                    elide: Text.ElideRight
                    text: (Qt.uiLanguage === "en" ? row.modelData.nameEn : row.modelData.name)
                          + (row.modelData.failed ? " " + qsTr("(not available)") : "")
                          + (row.modelData.network ? " " + qsTr("(from the network)") : "")
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                }
                MouseArea {
                    id: area
                    anchors.fill: parent
                    hoverEnabled: true
                    enabled: !row.modelData.failed
                    onClicked: Basemap.setLayerVisible(row.modelData.id, !row.modelData.visible)
                }
            }
        }
    }
}
