#pragma once

#include <QStringView>

#include <vector>

namespace gwanje {

// What a camera's free-text "shooting direction" (CCTV 촬영방면정보) says about where it looks, so
// the map can draw view cones, or a range circle for a 360° camera. Plain value type.
//
// The text is read conservatively: a heading is only ever taken from a compass word the text
// actually contains, never guessed. Every word must be understood; one word that is not (a road,
// a shop, "전주밑", "반경 30~150미터…") makes the whole text Unknown, because a compass word next
// to a place name ("남동전기 앞", "동주민센터 앞") is part of the name, not a direction.
//
//   Panoramic    "360", "360도", "360도전방면", "360도 전방향", "360도 전방", "전방면", "전방향",
//                "전방위", "회전", "PTZ": fieldOfViewDegrees 360, no headings (draw a circle).
//   Directional  a fixed camera. fieldOfViewDegrees is the stated angle ("120도", "90°",
//                "270도전방면": an angle below 360 wins over 전방면), or 0 when none is stated.
//                headingsDegrees holds one heading per compass word ("북,남" → 0, 180), in the
//                order written, duplicates dropped; it is empty when the text only says the
//                camera is fixed ("고정", "카메라 전면(고정)", "단방향", "1방면", "양방향", "4방향")
//                or gives just an angle: draw no cone then, as no direction is known (a cone
//                pointing north would be a lie). A compass word without an angle gets the default
//                field of view (defaultFieldOfViewDegrees, fieldOfViewAssumed set).
//   Unknown      everything else: empty text, "0" (a placeholder in one district's rows), place
//                and road names, ranges, angles of 0 or above 360, and contradictions: "1방면"
//                with two compass words, "360도 고정", "회전 북", or a turning camera with an
//                angle below 360 ("회전 180도": the lens or the sweep?). "360" with compass
//                words is Panoramic: the circle covers them.
//
// Compass words: 동 서 남 북 (90, 270, 180, 0) and the diagonals in either order (북동/동북 45,
// 남동/동남 135, 남서/서남 225, 북서/서북 315), optionally followed by 방향, 방면, 향, 쪽 or
// 측, separated by commas, slashes, middle dots, brackets or spaces. Written together only as
// "동서", "남북" and "동서남북"; "사방" is the four cardinal headings. "븍" is read as 북: the file has one "븍,남"
// (ㅡ and ㅜ are neighbouring keys). Arrows are not read: on a site sketch ↑ need not be north.
struct CameraView
{
    static constexpr double defaultFieldOfViewDegrees = 90.0;

    enum class Kind : quint8 {
        Unknown,
        Panoramic, // 360°, PTZ, 전방면, 회전
        Directional,
    };
    Kind kind = Kind::Unknown;
    double fieldOfViewDegrees = 0;      // per heading; 360 for panoramic; 0 when not known
    bool fieldOfViewAssumed = false;    // fieldOfViewDegrees is the default, not read from the text
    std::vector<float> headingsDegrees; // clockwise from north; one cone per heading; empty when unknown or panoramic

    // A cone can be drawn: directional with at least one heading read from the text.
    bool headingKnown() const { return !headingsDegrees.empty(); }

    friend bool operator==(const CameraView &, const CameraView &) = default;
};

// Reentrant; cheap enough per row, but the loader's interned texts make parsing once per distinct
// text (591 in the Seoul file) the natural way.
CameraView parseCameraView(QStringView text);

// How many texts (rows, i.e. sites, not cameras) were read as what, e.g. over one data file. Empty (blank) texts are
// counted apart from the Unknown ones that said something the parser could not read.
struct CameraViewStats
{
    int panoramic = 0;
    int directional = 0;
    int headingKnown = 0; // of directional: the ones with at least one heading
    int unknown = 0;      // text present but not understood
    int empty = 0;

    void add(QStringView text, const CameraView &view);
    int total() const { return panoramic + directional + unknown + empty; }
    friend bool operator==(const CameraViewStats &, const CameraViewStats &) = default;
};

} // namespace gwanje
