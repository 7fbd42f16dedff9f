import QtQuick
import QtPositioning
import Gwanje

// The card of what the operator selected on the map: what it is, where, and its facts from the
// data file. A wearer shows only a device number: no position, no guardian (privacy).
Rectangle {
    id: card
    property var map
    readonly property var selection: map ? map.selection : ({})
    readonly property string kind: selection.kind || ""

    visible: kind !== ""
    width: 320
    height: content.implicitHeight + 24
    radius: 6
    color: Theme.panel
    border.color: Theme.border

    function kindName(k) {
        switch (k) {
        case "camera_site": return qsTr("CCTV site");
        case "wifi_ap": return qsTr("Public WiFi");
        case "sensor":
            return card.selection.medium === "surface_water" ? qsTr("u-Green water-quality sensor (stream)")
                 : card.selection.medium === "tap_water" ? qsTr("u-Green tap-water sensor")
                 : qsTr("S-DoT sensor");
        case "streetlight": return qsTr("Streetlight");
        case "shelter": return qsTr("u-Shelter bus stop");
        case "device": return qsTr("Safety device");
        }
        return k;
    }

    // Label/value rows; empty values are left out.
    readonly property var rows: {
        const s = selection;
        const all = [
            [qsTr("ID"), s.id],
            [qsTr("District"), s.district],
            [qsTr("Address"), s.address],
            [qsTr("Purpose"), s.purpose],
            [qsTr("Cameras"), s.kind === "camera_site" ? String(s.count) : ""],
            [qsTr("Lamp"), s.lamp],
            [qsTr("Power"), s.power],
            [qsTr("View direction"), s.direction],
            [qsTr("Read as"), s.view],
            [qsTr("Stream"), s.stream],
            [qsTr("Indoor/outdoor"), s.setting],
            [qsTr("State"), s.alarm ? qsTr("SOS") : (s.state || "")],
            [qsTr("Air quality"), s.grade],
            ["PM10", s.pm10],
            ["PM2.5", s.pm25],
            [qsTr("Safe zones"), s.zones >= 0 ? String(s.zones) : ""]
        ];
        return all.filter(r => r[1] !== undefined && r[1] !== "");
    }

    Column {
        id: content
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 12
        spacing: 6

        Text {
            objectName: "detailKind"
            text: card.kindName(card.kind)
            color: card.selection.alarm ? Theme.sos : Theme.textDim
            font.pixelSize: Theme.fontSmall
        }
        Text {
            objectName: "detailTitle"
            width: parent.width - 30
            text: card.selection.name || card.selection.id || ""
            color: Theme.text
            font.pixelSize: Theme.fontNormal + 2
            font.bold: true
            wrapMode: Text.Wrap
        }
        Repeater {
            model: card.rows
            delegate: Row {
                id: row
                required property var modelData
                spacing: 8
                Text {
                    width: 92
                    text: row.modelData[0]
                    color: Theme.textDim
                    font.pixelSize: Theme.fontSmall
                }
                Text {
                    width: 196 // the card is 320 wide: 12 + 92 + 8 + this + 12
                    text: row.modelData[1]
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                }
            }
        }
        Text {
            objectName: "detailFlyTo"
            text: qsTr("Centre on map")
            color: Theme.accent
            font.pixelSize: Theme.fontSmall
            MouseArea {
                anchors.fill: parent
                cursorShape: Qt.PointingHandCursor
                onClicked: card.map.flyTo(QtPositioning.coordinate(card.selection.latitude, card.selection.longitude), Math.max(card.map.zoom, 17))
            }
        }
    }

    IconButton {
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 6
        width: 26
        height: 26
        label: "×"
        tooltip: qsTr("Close")
        onClicked: card.map.clearSelection()
    }
}
