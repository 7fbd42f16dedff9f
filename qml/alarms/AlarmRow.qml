import QtQuick
import QtQuick.Layouts
import Gwanje
import Gwanje.Ui

// One alarm in the list: a priority colour bar, what and where, how long ago, its state. Selecting
// the row (keys or a click) selects the alarm for the whole console.
Rectangle {
    id: row
    required property int index
    required property double alarmId
    required property int priority
    required property string typeText
    required property string district
    required property string ageText
    required property string state
    required property string stateText
    required property string assignee
    required property bool grouped
    required property int memberCount

    readonly property bool current: ListView.isCurrentItem
    readonly property bool waiting: state === "unacknowledged" || state === "returned_unacknowledged"

    objectName: "alarmRow_" + alarmId
    width: ListView.view.width
    height: 46
    color: current ? Theme.panelRaised : (index % 2 ? "transparent" : Theme.panelStripe)
    border.color: current ? Theme.accent : "transparent"

    onCurrentChanged: {
        if (current && Alarms.selectedId !== alarmId)
            Alarms.select(alarmId);
    }

    Rectangle {
        objectName: "priorityBar"
        width: 6
        height: parent.height
        color: Theme.priorityColor(row.priority)
        // An unacknowledged priority-1 alarm pulses until someone takes it.
        SequentialAnimation on opacity {
            running: row.priority === 1 && row.waiting
            loops: Animation.Infinite
            alwaysRunToEnd: true
            NumberAnimation { to: 0.3; duration: 450 }
            NumberAnimation { to: 1.0; duration: 450 }
        }
    }

    GridLayout {
        anchors.fill: parent
        anchors.leftMargin: 14
        anchors.rightMargin: 8
        columns: 2
        rowSpacing: 0
        columnSpacing: 6

        Text {
            Layout.fillWidth: true
            text: row.grouped ? qsTr("%1 (%2)").arg(row.typeText).arg(row.memberCount) : row.typeText
            color: Theme.text
            font.pixelSize: Theme.fontNormal
            font.bold: row.waiting
            elide: Text.ElideRight
        }
        Text {
            Layout.alignment: Qt.AlignRight
            text: row.ageText
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall
        }
        Text {
            Layout.fillWidth: true
            text: row.assignee.length > 0 ? qsTr("%1 · %2").arg(row.district).arg(row.assignee) : row.district
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
        }
        Text {
            objectName: "alarmState"
            Layout.alignment: Qt.AlignRight
            text: row.stateText
            color: row.waiting ? Theme.priorityColor(row.priority) : Theme.textDim
            font.pixelSize: Theme.fontSmall
        }
    }

    MouseArea {
        anchors.fill: parent
        onClicked: {
            row.ListView.view.currentIndex = row.index;
            row.ListView.view.forceActiveFocus();
        }
    }
}
