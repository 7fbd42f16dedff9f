import QtQuick
import Gwanje

// A scale bar: the longest round distance (1, 2 or 5 × 10ⁿ metres) that fits in maxWidth at the
// map's current scale, measured at the centre of the view.
Item {
    id: bar
    property real metresPerPixel: 1
    property real maxWidth: 120
    // The distance shown and its length on screen.
    readonly property real metres: {
        const most = maxWidth * metresPerPixel;
        if (!(most > 0))
            return 0;
        const magnitude = Math.pow(10, Math.floor(Math.log(most) / Math.LN10));
        for (const step of [5, 2, 1]) {
            if (step * magnitude <= most)
                return step * magnitude;
        }
        return magnitude;
    }
    readonly property real barWidth: metresPerPixel > 0 ? metres / metresPerPixel : 0
    readonly property string label: metres >= 1000 ? qsTr("%1 km").arg(metres / 1000) : qsTr("%1 m").arg(metres)

    width: barWidth
    height: 18

    Text {
        objectName: "scaleLabel"
        anchors.bottom: line.top
        anchors.bottomMargin: 1
        anchors.horizontalCenter: parent.horizontalCenter
        text: bar.label
        color: Theme.text
        font.pixelSize: 11
        style: Text.Outline
        styleColor: Theme.mapBackground
    }
    Rectangle {
        id: line
        anchors.bottom: parent.bottom
        width: bar.barWidth
        height: 4
        color: Theme.text
        border.color: Theme.mapBackground
    }
}
