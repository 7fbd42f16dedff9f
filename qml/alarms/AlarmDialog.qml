import QtQuick
import QtQuick.Layouts
import Gwanje
import Gwanje.Ui

// The one small form of the alarm panel: a comment, a shelving reason and duration, or to whom the
// alarm is assigned. Enter confirms, Escape cancels; either way the list gets the keys back.
Rectangle {
    id: dialog
    property string mode: "" // comment, shelve, assign; empty: closed
    property double alarmId: 0
    property int minutes: 30
    signal finished

    visible: mode !== ""
    implicitHeight: column.implicitHeight + 20
    radius: 6
    color: Theme.panel
    border.color: Theme.accent

    function open(kind, id) {
        mode = kind;
        alarmId = id;
        minutes = 30;
        field.text = "";
        field.forceActiveFocus();
    }
    function close() {
        mode = "";
        dialog.finished();
    }
    function accept() {
        let ok = false;
        if (mode === "comment")
            ok = Alarms.comment(alarmId, field.text);
        else if (mode === "shelve")
            ok = Alarms.shelve(alarmId, field.text, minutes);
        else if (mode === "assign")
            ok = Alarms.assign(alarmId, field.text);
        if (ok)
            close();
    }

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 10
        spacing: 8

        Text {
            text: dialog.mode === "shelve" ? qsTr("Shelve: why, and for how long?")
                : dialog.mode === "assign" ? qsTr("Assign to")
                : qsTr("Comment")
            color: Theme.text
            font.pixelSize: Theme.fontNormal
            font.bold: true
        }
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 28
            radius: 3
            color: Theme.window
            border.color: field.activeFocus ? Theme.accent : Theme.border
            TextInput {
                id: field
                objectName: "alarmDialogField"
                anchors.fill: parent
                anchors.leftMargin: 6
                anchors.rightMargin: 6
                verticalAlignment: TextInput.AlignVCenter
                color: Theme.text
                selectionColor: Theme.accent
                font.pixelSize: Theme.fontNormal
                clip: true
                Keys.onReturnPressed: dialog.accept()
                Keys.onEnterPressed: dialog.accept()
                Keys.onEscapePressed: dialog.close()
            }
        }
        Row {
            visible: dialog.mode === "shelve"
            spacing: 6
            ActionButton {
                text: qsTr("%1 min").arg(15)
                primary: dialog.minutes === 15
                onClicked: dialog.minutes = 15
            }
            ActionButton {
                text: qsTr("%1 min").arg(30)
                primary: dialog.minutes === 30
                onClicked: dialog.minutes = 30
            }
            ActionButton {
                text: qsTr("%1 h").arg(1)
                primary: dialog.minutes === 60
                onClicked: dialog.minutes = 60
            }
            ActionButton {
                text: qsTr("%1 h").arg(4)
                primary: dialog.minutes === 240
                onClicked: dialog.minutes = 240
            }
        }
        Text {
            objectName: "alarmDialogError"
            Layout.fillWidth: true
            visible: Alarms.lastError.length > 0
            text: qsTr("Refused: %1").arg(Alarms.lastError)
            color: Theme.error
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
        }
        RowLayout {
            Layout.alignment: Qt.AlignRight
            spacing: 6
            ActionButton {
                text: qsTr("Cancel")
                onClicked: dialog.close()
            }
            ActionButton {
                objectName: "alarmDialogOk"
                text: qsTr("OK")
                primary: true
                onClicked: dialog.accept()
            }
        }
    }
}
