import QtQuick
import Gwanje
import Gwanje.Ui

// The map with its on-map controls: zoom buttons, layer toggles, legend and data attribution.
Rectangle {
    id: pane
    color: Theme.mapBackground
    clip: true

    property alias map: mapView

    MapView {
        id: mapView
        objectName: "map"
        anchors.fill: parent
        assets: Assets
        devices: Devices
        basemap: Basemap
        focus: true
        englishLabels: Qt.uiLanguage === "en"
    }

    Text {
        anchors.centerIn: parent
        visible: !Assets.loaded
        text: qsTr("Loading Seoul data…")
        color: Theme.textDim
        font.pixelSize: Theme.fontLarge
    }

    Column {
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.margins: 12
        spacing: 6

        IconButton {
            objectName: "zoomIn"
            label: "+"
            tooltip: qsTr("Zoom in")
            onClicked: mapView.zoomIn()
        }
        IconButton {
            objectName: "zoomOut"
            label: "−"
            tooltip: qsTr("Zoom out")
            onClicked: mapView.zoomOut()
        }
        IconButton {
            objectName: "layersButton"
            label: "≡"
            tooltip: qsTr("Map layers")
            onClicked: layerList.visible = !layerList.visible
        }
        IconButton {
            objectName: "zoomFit"
            label: "⌂"
            tooltip: qsTr("Show all of Seoul")
            onClicked: mapView.fitToData()
        }
    }

    Column {
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 12
        spacing: 6

        ToggleChip {
            text: qsTr("CCTV")
            swatch: Theme.camera
            checked: mapView.visibleKinds[MarkerKind.Camera]
            onToggled: mapView.setLayerVisible(MarkerKind.Camera, checked)
        }
        ToggleChip {
            text: qsTr("Public WiFi")
            swatch: Theme.wifi
            checked: mapView.visibleKinds[MarkerKind.WifiAp]
            onToggled: mapView.setLayerVisible(MarkerKind.WifiAp, checked)
        }
        ToggleChip {
            text: qsTr("Sensors")
            swatch: Theme.sensor
            checked: mapView.visibleKinds[MarkerKind.Sensor]
            onToggled: mapView.setLayerVisible(MarkerKind.Sensor, checked)
        }
        ToggleChip {
            objectName: "sheltersChip"
            text: qsTr("u-Shelters")
            swatch: Theme.shelter
            checked: mapView.visibleKinds[MarkerKind.Shelter]
            onToggled: mapView.setLayerVisible(MarkerKind.Shelter, checked)
        }
        ToggleChip {
            objectName: "streetlightsChip"
            text: qsTr("Streetlights")
            swatch: Theme.streetlight
            checked: mapView.visibleKinds[MarkerKind.Streetlight]
            onToggled: mapView.setLayerVisible(MarkerKind.Streetlight, checked)
        }
        ToggleChip {
            text: qsTr("Safety devices")
            swatch: Theme.device
            checked: mapView.visibleKinds[MarkerKind.Device]
            onToggled: mapView.setLayerVisible(MarkerKind.Device, checked)
        }
        ToggleChip {
            objectName: "heatmapChip"
            text: qsTr("Events, last hour")
            swatch: Theme.warning
            checked: mapView.showHeatmap
            onToggled: mapView.showHeatmap = checked
        }
        ToggleChip {
            text: qsTr("Dong outlines")
            swatch: Theme.border
            checked: mapView.showDongs
            onToggled: mapView.showDongs = checked
        }
    }

    LayerList {
        id: layerList
        objectName: "layerList"
        visible: false
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.leftMargin: 54
        anchors.topMargin: 12
    }

    ScaleBar {
        objectName: "scaleBar"
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: 40
        metresPerPixel: mapView.metresPerPixel
    }

    MapSearch {
        objectName: "mapSearch"
        map: mapView
        anchors.top: parent.top
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.topMargin: 12
    }

    // What the pointer is over.
    Rectangle {
        objectName: "hoverTip"
        visible: mapView.hoverText !== "" && mapView.cursorInside
        x: Math.min(mapView.hoverPoint.x + 14, pane.width - width - 4)
        y: Math.max(mapView.hoverPoint.y - height - 8, 4)
        width: tipText.implicitWidth + 14
        height: tipText.implicitHeight + 8
        radius: 3
        color: Theme.panelRaised
        border.color: Theme.border
        Text {
            id: tipText
            anchors.centerIn: parent
            text: mapView.hoverText
            color: Theme.text
            font.pixelSize: Theme.fontSmall
        }
    }

    AssetDetailPanel {
        objectName: "detailPanel"
        map: mapView
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.rightMargin: 12
        anchors.bottomMargin: 48
    }

    MapLegend {
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        anchors.margins: 12
    }

    Text {
        objectName: "attribution"
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 6
        width: Math.min(implicitWidth, pane.width * 0.55)
        horizontalAlignment: Text.AlignRight
        wrapMode: Text.WordWrap
        maximumLineCount: 3
        elide: Text.ElideRight
        // Every source once, assets first.
        text: {
            const parts = [];
            for (const text of [Assets.attribution, Basemap.attribution]) {
                for (const part of text.split(" · ")) {
                    if (part.length > 0 && parts.indexOf(part) < 0)
                        parts.push(part);
                }
            }
            return parts.join(" · ");
        }
        color: Theme.textDim
        font.pixelSize: 10
    }
}
