import QtQuick
import QtPositioning
import Gwanje
import Gwanje.Ui

// The search box over the map: districts, dongs and assets by id, name or address. Enter or a
// click flies the map there and selects the asset; Escape clears.
Rectangle {
    id: box
    property var map
    readonly property alias query: field.text

    width: 380
    height: column.implicitHeight + 12
    radius: 6
    color: Theme.panel
    border.color: field.activeFocus ? Theme.accent : Theme.border

    readonly property var results: Assets.search

    Timer {
        id: pause
        interval: 150
        onTriggered: {
            box.results.query = field.text;
            list.currentIndex = 0;
        }
    }

    function choose(row) {
        box.results.query = field.text; // what is typed, even if the pause has not passed yet
        const r = box.results.get(row);
        if (r.title === undefined)
            return;
        box.map.flyTo(QtPositioning.coordinate(r.latitude, r.longitude), r.zoom);
        if (r.asset >= 0)
            box.map.selectAsset(r.asset);
        else
            box.map.clearSelection();
        field.text = "";
        box.map.forceActiveFocus();
    }

    Column {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 6
        spacing: 4

        Item {
            width: parent.width
            height: 26
            TextInput {
                id: field
                objectName: "searchField"
                anchors.fill: parent
                anchors.leftMargin: 6
                verticalAlignment: TextInput.AlignVCenter
                color: Theme.text
                selectionColor: Theme.accent
                font.pixelSize: Theme.fontNormal
                clip: true
                Keys.onReturnPressed: box.choose(list.currentIndex >= 0 ? list.currentIndex : 0)
                Keys.onEnterPressed: box.choose(list.currentIndex >= 0 ? list.currentIndex : 0)
                Keys.onEscapePressed: text = ""
                Keys.onDownPressed: list.currentIndex = Math.min(list.currentIndex + 1, list.count - 1)
                Keys.onUpPressed: list.currentIndex = Math.max(list.currentIndex - 1, 0)
                // Searched after a short pause in typing, not on every key.
                onTextChanged: pause.restart()
            }
            Text {
                anchors.fill: parent
                anchors.leftMargin: 6
                verticalAlignment: Text.AlignVCenter
                visible: field.text.length === 0
                text: qsTr("Search districts, CCTV, WiFi, sensors…")
                color: Theme.textDim
                font.pixelSize: Theme.fontNormal
            }
        }

        Text {
            objectName: "searchNothing"
            visible: field.text.trim().length > 0 && box.results.count === 0
            text: qsTr("Nothing found")
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall
            leftPadding: 6
        }

        ListView {
            id: list
            objectName: "searchResults"
            width: parent.width
            height: Math.min(count, 8) * 40
            visible: field.text.trim().length > 0 && count > 0
            clip: true
            model: box.results
            delegate: Rectangle {
                id: row
                required property string title
                required property string subtitle
                width: ListView.view.width
                height: 40
                color: ListView.isCurrentItem ? Theme.panelRaised : "transparent"
                Column {
                    anchors.verticalCenter: parent.verticalCenter
                    anchors.left: parent.left
                    anchors.leftMargin: 6
                    Text {
                        text: row.title
                        color: Theme.text
                        font.pixelSize: Theme.fontNormal
                    }
                    Text {
                        text: row.subtitle
                        color: Theme.textDim
                        font.pixelSize: Theme.fontSmall - 1
                    }
                }
            }
            // One area over all rows: hovering highlights, a click chooses.
            MouseArea {
                anchors.fill: parent
                hoverEnabled: true
                onPositionChanged: mouse => {
                    const i = list.indexAt(mouse.x + list.contentX, mouse.y + list.contentY);
                    if (i >= 0)
                        list.currentIndex = i;
                }
                onClicked: mouse => box.choose(list.indexAt(mouse.x + list.contentX, mouse.y + list.contentY))
            }
        }
    }
}
