import QtQuick
import QtQuick.Layouts
import Gwanje
import Gwanje.Ui

// The CCTV wall: a header with the layouts, then the tiles of the current layout (or the
// maximised one alone).
Rectangle {
    id: wall
    color: Theme.window
    readonly property alias tiles: tileRepeater

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 34
            color: Theme.panel
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 10
                anchors.rightMargin: 6
                spacing: 4
                Text {
                    text: qsTr("CCTV")
                    color: Theme.text
                    font.pixelSize: Theme.fontNormal
                    font.bold: true
                }
                // While an alarm has the wall: its title, and how many more wait.
                Rectangle {
                    objectName: "wallAlarm"
                    visible: Wall.alarmId !== 0
                    implicitWidth: alarmText.implicitWidth + 14
                    implicitHeight: 24
                    radius: 3
                    color: Theme.floodBackground
                    border.color: Theme.sos
                    Text {
                        id: alarmText
                        anchors.centerIn: parent
                        text: Wall.alarmsWaiting > 0 ? qsTr("Alarm: %1 (+%2 waiting)").arg(Wall.alarmTitle).arg(Wall.alarmsWaiting)
                                                     : qsTr("Alarm: %1").arg(Wall.alarmTitle)
                        color: Theme.text
                        font.pixelSize: Theme.fontSmall
                        font.bold: true
                    }
                }
                Text {
                    objectName: "wallProblem"
                    Layout.fillWidth: true
                    text: Wall.problem
                    color: Theme.warning
                    font.pixelSize: Theme.fontSmall
                    elide: Text.ElideRight
                }
                ToggleChip {
                    objectName: "autoPop"
                    text: qsTr("Alarm pop-up")
                    swatch: Theme.sos
                    checked: Wall.autoPop
                    onToggled: Wall.autoPop = checked
                }
                Repeater {
                    model: Wall.layouts
                    delegate: Rectangle {
                        id: layoutButton
                        required property string modelData
                        objectName: "layout_" + modelData
                        implicitWidth: layoutLabel.implicitWidth + 12
                        implicitHeight: 24
                        radius: 3
                        color: Wall.layout === layoutButton.modelData ? Theme.accentDim : "transparent"
                        border.color: Wall.layout === layoutButton.modelData ? Theme.accent : Theme.border
                        Accessible.role: Accessible.RadioButton
                        Accessible.name: qsTr("Layout %1").arg(layoutLabel.text)
                        Text {
                            id: layoutLabel
                            anchors.centerIn: parent
                            text: layoutButton.modelData.replace("x", "×")
                            color: Theme.text
                            font.pixelSize: Theme.fontSmall
                        }
                        MouseArea {
                            anchors.fill: parent
                            onClicked: {
                                Wall.maximized = -1;
                                Wall.layout = layoutButton.modelData;
                            }
                        }
                    }
                }
            }
        }

        // Cameras are 16:9: the grid keeps that shape (as large as fits, on top).
        Item {
            id: grid
            objectName: "wallGrid"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.round(width * 9 / 16)
            Layout.maximumHeight: Math.round(width * 9 / 16)
            Layout.alignment: Qt.AlignTop

            Repeater {
                id: tileRepeater
                model: Wall.tileCount
                delegate: VideoTile {
                    required property int index
                    readonly property rect cell: (Wall.layout, Wall.tileRect(index))
                    readonly property bool alone: Wall.maximized === index
                    objectName: "tile" + index
                    tileIndex: index
                    cameraId: Wall.cameras[index] ?? ""
                    visible: Wall.maximized < 0 || alone
                    // In the grid (the Repeater's parent).
                    readonly property real gridWidth: parent ? parent.width : 0
                    readonly property real gridHeight: parent ? parent.height : 0
                    x: alone ? 0 : Math.round(cell.x * gridWidth)
                    y: alone ? 0 : Math.round(cell.y * gridHeight)
                    width: alone ? gridWidth : Math.round((cell.x + cell.width) * gridWidth) - x
                    height: alone ? gridHeight : Math.round((cell.y + cell.height) * gridHeight) - y
                }
            }
        }
        Item {
            Layout.fillHeight: true
        }
    }
}
