pragma Singleton
import QtQuick

// The control-room palette and type sizes, in one place.
QtObject {
    readonly property color window: "#070d18"
    readonly property color panel: "#0f1a2b"
    readonly property color panelRaised: "#15233a"
    readonly property color border: "#23344f"
    readonly property color text: "#e6eef8"
    readonly property color textDim: "#8da2bf"
    readonly property color accent: "#3ea6ff"
    readonly property color mapBackground: "#0b1220"
    readonly property color camera: "#ff9f1c"
    readonly property color wifi: "#2ec4f1"
    readonly property color sensor: "#7cf07a"
    readonly property color streetlight: "#f4e9a8"
    readonly property color shelter: "#4d8dff"
    readonly property color device: "#e056fd"
    readonly property color sos: "#ff2d2d"
    readonly property color warning: "#f5a524"
    readonly property color warningBackground: "#3d2a05"
    readonly property color error: "#ff5c5c"
    readonly property color accentDim: "#1b3f66"
    readonly property color panelStripe: "#122036"
    readonly property color floodBackground: "#4a0f14"
    // Alarm priorities 1 (most urgent) to 4.
    readonly property color priority1: "#ff2d2d"
    readonly property color priority2: "#ff8c1a"
    readonly property color priority3: "#f5d90a"
    readonly property color priority4: "#5aa9e6"

    function priorityColor(priority: int): color {
        return priority <= 1 ? priority1 : priority === 2 ? priority2 : priority === 3 ? priority3 : priority4;
    }
    readonly property int fontSmall: 12
    readonly property int fontNormal: 14
    readonly property int fontLarge: 20
}
