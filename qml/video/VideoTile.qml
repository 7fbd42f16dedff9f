import QtQuick
import QtMultimedia
import Gwanje
import Gwanje.Ui

// One tile of the wall: a camera's live picture with its name, district, purpose, a clock and
// the stream's state. It decodes only while shown; large tiles take the main stream.
Rectangle {
    id: tile
    property int tileIndex: -1
    // A tile of the wall (double-click maximises; it plays while the wall is shown), or one shown
    // elsewhere (the alarm detail's linked cameras: it plays while visible).
    property bool wallTile: true
    property string cameraId: ""
    property date now: new Date()
    Timer {
        interval: 1000
        running: tile.visible && tile.cameraId !== ""
        repeat: true
        onTriggered: tile.now = new Date()
    }
    // The main stream for a maximised tile, the large one of 1, 1+5 and 1+7, and any tile wider
    // than the sub stream's 640 pixels; the sub stream in the grid.
    readonly property bool large: (tile.wallTile && Wall.maximized === tileIndex) || (tile.wallTile && (Wall.layout, Wall.tileRect(tileIndex).width > 0.5)) || width > 660
    readonly property var info: cameraId !== "" ? Wall.camera(cameraId) : ({})
    readonly property alias stream: stream
    readonly property alias output: output

    color: "black"
    border.color: tile.wallTile && Wall.maximized === tileIndex ? Theme.accent : Theme.border
    border.width: 1

    VideoOutput {
        id: output
        anchors.fill: parent
        anchors.margins: 1
        fillMode: VideoOutput.PreserveAspectFit
    }

    // What the picture says of the camera, for its health in the core: 0 moving, 1 no picture,
    // 2 frozen, 3 black (CameraState); -1 while it is not known (connecting, idle).
    readonly property int health: stream.state === CameraStream.Stalled || stream.state === CameraStream.Error
                                  ? 1 : stream.state !== CameraStream.Live ? -1
                                  : stream.picture === CameraStream.Frozen ? 2
                                  : stream.picture === CameraStream.Black ? 3
                                  : stream.picture === CameraStream.Moving ? 0 : -1
    onHealthChanged: {
        if (health >= 0 && cameraId !== "")
            Wall.reportPicture(cameraId, health);
    }

    CameraStream {
        id: stream
        objectName: "tileStream"
        url: tile.cameraId !== "" && Wall.revision >= 0 ? Wall.streamUrl(tile.cameraId, tile.large) : ""
        videoSink: output.videoSink
        // Hidden tiles decode nothing.
        active: tile.visible && tile.width > 0 && (!tile.wallTile || Wall.shown)
    }

    // Name, district and purpose on top; the state and a clock below.
    Rectangle {
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 1
        height: titleColumn.implicitHeight + 6
        color: "#a0070d18"
        visible: tile.cameraId !== ""
        Column {
            id: titleColumn
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.leftMargin: 6
            anchors.rightMargin: 6
            anchors.verticalCenter: parent.verticalCenter
            Text {
                width: parent.width
                text: tile.info.name ?? ""
                color: Theme.text
                font.pixelSize: Theme.fontSmall
                font.bold: true
                elide: Text.ElideRight
            }
            Text {
                width: parent.width
                text: [tile.info.district ?? "", tile.info.purpose ?? ""].filter(s => s !== "").join(" · ")
                color: Theme.textDim
                font.pixelSize: Theme.fontSmall - 1
                elide: Text.ElideRight
                visible: text !== "" && tile.height > 90
            }
        }
    }

    Rectangle {
        id: stateBar
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        anchors.margins: 1
        width: stateRow.implicitWidth + 12
        height: stateRow.implicitHeight + 6
        color: "#a0070d18"
        visible: tile.cameraId !== ""
        Row {
            id: stateRow
            anchors.centerIn: parent
            spacing: 6
            Rectangle {
                width: 8
                height: 8
                radius: 4
                anchors.verticalCenter: parent.verticalCenter
                color: stream.state === CameraStream.Live
                       ? (stream.picture === CameraStream.Frozen || stream.picture === CameraStream.Black ? Theme.warning : Theme.sensor)
                       : stream.state === CameraStream.Connecting ? Theme.warning : Theme.error
            }
            Text {
                objectName: "tileState"
                text: tile.stateText()
                color: Theme.text
                font.pixelSize: Theme.fontSmall
                elide: Text.ElideRight
                width: Math.min(implicitWidth, tile.width - 40)
            }
        }
    }
    Text {
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 5
        text: tile.now.toLocaleTimeString(Qt.locale(), "HH:mm:ss")
        color: Theme.text
        font.pixelSize: Theme.fontSmall
        font.family: "monospace"
        visible: tile.cameraId !== "" && tile.width > 200
        style: Text.Outline
        styleColor: "black"
    }
    Text {
        anchors.centerIn: parent
        width: parent.width - 20
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        text: tile.cameraId === "" ? qsTr("No camera") : stream.url === "" ? qsTr("No stream for this camera") : ""
        color: Theme.textDim
        font.pixelSize: Theme.fontSmall
        visible: text !== ""
    }

    function stateText(): string {
        switch (stream.state) {
        case CameraStream.Live:
            if (stream.picture === CameraStream.Frozen)
                return qsTr("Picture frozen");
            if (stream.picture === CameraStream.Black)
                return qsTr("Picture black");
            return tile.large ? qsTr("Live · main") : qsTr("Live");
        case CameraStream.Connecting:
            return qsTr("Connecting…");
        case CameraStream.Stalled:
            return qsTr("Signal lost: %1").arg(stream.reason);
        case CameraStream.Error:
            return qsTr("Error: %1").arg(stream.reason);
        default:
            return stream.url === "" ? qsTr("No stream") : qsTr("Idle");
        }
    }

    MouseArea {
        anchors.fill: parent
        enabled: tile.wallTile
        onDoubleClicked: Wall.maximized = Wall.maximized === tile.tileIndex ? -1 : tile.tileIndex
    }
}
