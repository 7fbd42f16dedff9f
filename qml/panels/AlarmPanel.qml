import QtQuick
import QtQuick.Layouts
import Gwanje
import Gwanje.Ui

// The desk's open alarms, most urgent first, and the selected one's details. Keys on the list:
// up/down select, Space or Enter acknowledges, C comments, S shelves, A assigns, E escalates.
Rectangle {
    id: panel
    color: Theme.panel

    function acknowledgeSelected() {
        if (Alarms.selectedId !== 0)
            Alarms.acknowledge(Alarms.selectedId, "");
    }
    function openDialog(kind) {
        if (Alarms.selectedId !== 0)
            dialog.open(kind, Alarms.selectedId);
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 8
            spacing: 6

            Rectangle {
                Layout.fillWidth: true
                implicitHeight: 28
                radius: 3
                color: Theme.window
                border.color: filter.activeFocus ? Theme.accent : Theme.border
                TextInput {
                    id: filter
                    objectName: "alarmFilter"
                    anchors.fill: parent
                    anchors.leftMargin: 6
                    verticalAlignment: TextInput.AlignVCenter
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                    clip: true
                    onTextChanged: Alarms.model.text = text
                    Keys.onEscapePressed: text = ""
                    Keys.onDownPressed: list.forceActiveFocus()
                }
                Text {
                    anchors.fill: parent
                    anchors.leftMargin: 6
                    verticalAlignment: Text.AlignVCenter
                    visible: filter.text.length === 0
                    text: qsTr("Filter alarms…")
                    color: Theme.textDim
                    font.pixelSize: Theme.fontSmall
                }
            }
            ToggleChip {
                objectName: "hideAcknowledged"
                text: qsTr("Hide acknowledged")
                swatch: Theme.accent
                checked: false
                onToggled: Alarms.model.hiddenStates = checked ? ["acknowledged", "shelved"] : []
            }
            ToggleChip {
                objectName: "soundChip"
                text: qsTr("Sound")
                swatch: Theme.warning
                checked: !Alarms.muted
                onToggled: Alarms.muted = !checked
            }
        }

        Text {
            Layout.leftMargin: 10
            Layout.bottomMargin: 4
            text: qsTr("%1 open · %2 unacknowledged · desk %3").arg(Alarms.count).arg(Alarms.unacknowledgedCount)
                                                              .arg(Alarms.desk)
            color: Theme.textDim
            font.pixelSize: Theme.fontSmall - 1
        }

        ListView {
            id: list
            objectName: "alarmList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: 140
            clip: true
            focus: true
            model: Alarms.model
            currentIndex: -1
            keyNavigationEnabled: true
            boundsBehavior: Flickable.StopAtBounds
            highlightMoveDuration: 0
            delegate: AlarmRow {}

            // Nothing is selected until the operator does (the map only moves when asked): Down
            // selects the first alarm.
            Keys.onSpacePressed: panel.acknowledgeSelected()
            Keys.onReturnPressed: panel.acknowledgeSelected()
            Keys.onEnterPressed: panel.acknowledgeSelected()
            Keys.onPressed: event => {
                if (Alarms.selectedId === 0)
                    return;
                if (event.key === Qt.Key_C)
                    panel.openDialog("comment");
                else if (event.key === Qt.Key_S)
                    panel.openDialog("shelve");
                else if (event.key === Qt.Key_A)
                    panel.openDialog("assign");
                else if (event.key === Qt.Key_E)
                    Alarms.escalate(Alarms.selectedId);
                else
                    return;
                event.accepted = true;
            }

            Text {
                anchors.centerIn: parent
                visible: list.count === 0
                text: Alarms.count === 0 ? qsTr("No open alarms") : qsTr("No alarm matches the filter")
                color: Theme.textDim
                font.pixelSize: Theme.fontSmall
            }
        }

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 1
            color: Theme.border
        }

        AlarmDialog {
            id: dialog
            objectName: "alarmDialog"
            Layout.fillWidth: true
            Layout.margins: 8
            onFinished: list.forceActiveFocus()
        }

        AlarmDetail {
            objectName: "alarmDetail"
            Layout.fillWidth: true
            Layout.preferredHeight: panel.height * 0.5
            onDialogWanted: kind => panel.openDialog(kind)
        }
    }
}
