import QtQuick
import QtQuick.Layouts
import Gwanje
import Gwanje.Ui

// Names every data file that could not be loaded, and why. The app keeps running with the rest.
Rectangle {
    id: banner
    objectName: "problemBanner"
    // Data files and map layers that could not be loaded.
    readonly property var problems: {
        const out = [];
        for (const p of Assets.problems)
            out.push(p);
        for (const p of Basemap.problems)
            out.push(p);
        for (const p of Alarms.problems)
            out.push(p);
        return out;
    }
    visible: problems.length > 0 || History.problem.length > 0
    implicitHeight: visible ? column.implicitHeight + 16 : 0
    color: Theme.warningBackground
    border.color: Theme.warning

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: 8
        anchors.leftMargin: 16
        spacing: 2

        Text {
            objectName: "problemTitle"
            visible: banner.problems.length > 0
            text: qsTr("Some data could not be loaded (%n problem(s)); the map shows everything else.", "",
                       banner.problems.length)
            color: Theme.warning
            font.bold: true
            font.pixelSize: Theme.fontNormal
        }
        Text {
            objectName: "historyProblem"
            Layout.fillWidth: true
            visible: History.problem.length > 0
            text: History.problem
            color: Theme.warning
            font.bold: true
            elide: Text.ElideRight
            font.pixelSize: Theme.fontNormal
        }
        Repeater {
            model: banner.problems
            delegate: Text {
                required property string modelData
                Layout.fillWidth: true
                text: "• " + modelData
                color: Theme.text
                elide: Text.ElideRight
                font.pixelSize: Theme.fontSmall
            }
        }
    }
}
