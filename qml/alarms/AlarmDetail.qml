import QtQuick
import QtQuick.Layouts
import Gwanje
import Gwanje.Ui

// The selected alarm: what, where, who has it; the commands; its procedure checklist (a tick is
// an audited command), the cameras linked to it, the members of a grouped alarm and its history.
Rectangle {
    id: detail
    readonly property var alarm: Alarms.current
    readonly property bool shown: alarm.alarmId !== undefined
    signal dialogWanted(string kind)

    color: Theme.panel
    implicitHeight: flick.contentHeight

    Text {
        anchors.centerIn: parent
        visible: !detail.shown
        text: Alarms.selectedId !== 0 ? qsTr("The alarm is closed") : qsTr("Select an alarm")
        color: Theme.textDim
        font.pixelSize: Theme.fontSmall
    }

    Flickable {
        id: flick
        anchors.fill: parent
        visible: detail.shown
        clip: true
        contentHeight: content.implicitHeight + 16
        boundsBehavior: Flickable.StopAtBounds

        ColumnLayout {
            id: content
            x: 12
            y: 8
            width: flick.width - 24
            spacing: 6

            RowLayout {
                Layout.fillWidth: true
                Rectangle {
                    implicitWidth: 22
                    implicitHeight: 22
                    radius: 3
                    color: Theme.priorityColor(detail.alarm.priority || 4)
                    Text {
                        anchors.centerIn: parent
                        text: detail.alarm.priority || ""
                        color: "black"
                        font.bold: true
                        font.pixelSize: Theme.fontSmall
                    }
                }
                Text {
                    objectName: "alarmDetailTitle"
                    Layout.fillWidth: true
                    text: detail.alarm.typeText || ""
                    color: Theme.text
                    font.pixelSize: Theme.fontNormal + 2
                    font.bold: true
                    elide: Text.ElideRight
                }
                Text {
                    objectName: "alarmDetailState"
                    text: detail.alarm.stateText || ""
                    color: Theme.textDim
                    font.pixelSize: Theme.fontSmall
                }
            }
            Text {
                Layout.fillWidth: true
                text: qsTr("%1 · %2 · raised %3 ago").arg(detail.alarm.district || qsTr("district unknown"))
                                                     .arg(detail.alarm.source || "").arg(detail.alarm.ageText || "")
                color: Theme.textDim
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.Wrap
            }
            Text {
                Layout.fillWidth: true
                visible: (detail.alarm.assignee || "").length > 0 || (detail.alarm.escalations || 0) > 0
                text: qsTr("Assigned to %1 · escalated %2×").arg(detail.alarm.assignee || "—").arg(detail.alarm.escalations || 0)
                color: Theme.text
                font.pixelSize: Theme.fontSmall
            }

            Flow {
                Layout.fillWidth: true
                spacing: 6
                ActionButton {
                    objectName: "ackButton"
                    text: qsTr("Acknowledge")
                    primary: true
                    enabled: !(detail.alarm.acknowledged || false)
                    onClicked: Alarms.acknowledge(Alarms.selectedId, "")
                }
                ActionButton {
                    text: qsTr("Comment")
                    onClicked: detail.dialogWanted("comment")
                }
                ActionButton {
                    objectName: "shelveButton"
                    text: detail.alarm.state === "shelved" ? qsTr("Unshelve") : qsTr("Shelve")
                    enabled: detail.alarm.priority !== 1
                    onClicked: {
                        if (detail.alarm.state === "shelved")
                            Alarms.unshelve(Alarms.selectedId);
                        else
                            detail.dialogWanted("shelve");
                    }
                }
                ActionButton {
                    text: qsTr("Assign")
                    onClicked: detail.dialogWanted("assign")
                }
                ActionButton {
                    objectName: "escalateButton"
                    text: qsTr("Escalate")
                    onClicked: Alarms.escalate(Alarms.selectedId)
                }
                ActionButton {
                    text: qsTr("Close")
                    enabled: !(detail.alarm.active || false)
                    onClicked: Alarms.close(Alarms.selectedId)
                }
            }
            Text {
                objectName: "alarmSaving"
                Layout.fillWidth: true
                visible: Alarms.saving
                text: qsTr("Saving…")
                color: Theme.textDim
                font.pixelSize: Theme.fontSmall
            }
            Text {
                objectName: "alarmError"
                Layout.fillWidth: true
                visible: Alarms.lastError.length > 0
                text: qsTr("Refused: %1").arg(Alarms.lastError)
                color: Theme.error
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.Wrap
                MouseArea {
                    anchors.fill: parent
                    onClicked: Alarms.clearError()
                }
            }

            Text {
                visible: Alarms.currentProcedure.length > 0
                text: qsTr("Procedure")
                color: Theme.text
                font.pixelSize: Theme.fontSmall + 1
                font.bold: true
            }
            Repeater {
                objectName: "procedureSteps"
                model: Alarms.currentProcedure
                delegate: Row {
                    id: step
                    required property int index
                    required property string modelData
                    readonly property bool ticked: (Alarms.currentTickedMask & (1 << step.index)) !== 0
                    objectName: "procedureStep_" + (index + 1)
                    Layout.fillWidth: true
                    spacing: 8
                    Rectangle {
                        width: 16
                        height: 16
                        radius: 2
                        color: step.ticked ? Theme.accent : "transparent"
                        border.color: Theme.accent
                        Text {
                            anchors.centerIn: parent
                            visible: step.ticked
                            text: "✓"
                            color: "white"
                            font.pixelSize: 12
                        }
                        MouseArea {
                            anchors.fill: parent
                            anchors.margins: -4
                            onClicked: Alarms.tickStep(Alarms.selectedId, step.index + 1)
                        }
                    }
                    Text {
                        width: step.width - 24
                        text: (step.index + 1) + ". " + step.modelData
                        color: step.ticked ? Theme.textDim : Theme.text
                        font.pixelSize: Theme.fontSmall
                        font.strikeout: step.ticked
                        wrapMode: Text.Wrap
                    }
                }
            }

            Text {
                visible: (detail.alarm.cameras || []).length > 0
                text: qsTr("Linked CCTV")
                color: Theme.text
                font.pixelSize: Theme.fontSmall + 1
                font.bold: true
            }
            // The first three, live (sub streams), named; the wall shows them all when it pops.
            Row {
                id: linkedCameras
                objectName: "linkedCameras"
                Layout.fillWidth: true
                spacing: 4
                Repeater {
                    model: (detail.alarm.cameras || []).slice(0, 3)
                    delegate: VideoTile {
                        required property string modelData
                        objectName: "linkedCamera"
                        cameraId: modelData
                        wallTile: false
                        width: parent ? Math.floor((parent.width - 8) / 3) : 0 // three in the row, 4 px apart
                        height: Math.round(width * 9 / 16)
                    }
                }
            }

            Text {
                visible: detail.alarm.grouped || false
                text: qsTr("%n member(s)", "", detail.alarm.memberCount || 0)
                color: Theme.text
                font.pixelSize: Theme.fontSmall + 1
                font.bold: true
            }
            Text {
                objectName: "alarmMembers"
                Layout.fillWidth: true
                visible: detail.alarm.grouped || false
                text: (detail.alarm.members || []).join(", ")
                color: Theme.textDim
                font.pixelSize: Theme.fontSmall - 1
                wrapMode: Text.Wrap
                maximumLineCount: 6
                elide: Text.ElideRight
            }

            Text {
                text: qsTr("History")
                color: Theme.text
                font.pixelSize: Theme.fontSmall + 1
                font.bold: true
            }
            Repeater {
                objectName: "alarmHistory"
                model: Alarms.currentHistory
                delegate: Text {
                    id: entry
                    required property var modelData
                    Layout.fillWidth: true
                    text: qsTr("%1  %2 · %3%4").arg(Qt.formatTime(entry.modelData.at, "HH:mm:ss"))
                                              .arg(entry.modelData.actionText).arg(entry.modelData.actor)
                                              .arg(entry.modelData.reason ? " — " + entry.modelData.reason : "")
                    color: Theme.textDim
                    font.pixelSize: Theme.fontSmall - 1
                    wrapMode: Text.Wrap
                }
            }
        }
    }
}
