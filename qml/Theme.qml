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
    readonly property color device: "#e056fd"
    readonly property color sos: "#ff2d2d"
    readonly property color warning: "#f5a524"
    readonly property color warningBackground: "#3d2a05"
    readonly property color error: "#ff5c5c"
    readonly property int fontSmall: 12
    readonly property int fontNormal: 14
    readonly property int fontLarge: 20
}
