#include "CameraView.h"

#include <QString>

#include <algorithm>
#include <array>
#include <optional>

namespace gwanje {

namespace {

struct CompassWord
{
    QStringView word;
    std::array<float, 4> headings;
    int count;
};

// Heading lists as written; "븍" is the file's one typo for 북.
constexpr std::array<CompassWord, 20> compassWords{{
    {u"북", {0}, 1},
    {u"븍", {0}, 1},
    {u"동", {90}, 1},
    {u"남", {180}, 1},
    {u"서", {270}, 1},
    {u"북동", {45}, 1},
    {u"동북", {45}, 1},
    {u"남동", {135}, 1},
    {u"동남", {135}, 1},
    {u"남서", {225}, 1},
    {u"서남", {225}, 1},
    {u"북서", {315}, 1},
    {u"서북", {315}, 1},
    {u"동서", {90, 270}, 2},
    {u"서동", {270, 90}, 2},
    {u"남북", {180, 0}, 2},
    {u"북남", {0, 180}, 2},
    {u"동서남북", {90, 270, 180, 0}, 4},
    {u"사방", {0, 90, 180, 270}, 4},
    {u"동남서북", {90, 180, 270, 0}, 4},
}};

// Suffixes a compass word may carry: 북쪽, 남측, 동방향, 남북방향, 남향.
constexpr std::array<QStringView, 5> compassSuffixes{u"방향", u"방면", u"쪽", u"측", u"향"};

// The whole circle in any case; an angle below 360 next to them narrows it (270도전방면).
constexpr std::array<QStringView, 3> allRoundWords{u"전방면", u"전방향", u"전방위"};
// A camera that turns: panoramic, but an angle below 360 next to them is ambiguous (lens or sweep?).
constexpr std::array<QStringView, 4> turningWords{u"회전", u"회전형", u"회전식", u"ptz"};
// A fixed camera, no direction given.
constexpr std::array<QStringView, 4> fixedWords{u"고정", u"고정식", u"고정형", u"전면"};
// Words that add nothing: "360도 전방", "카메라 전면(고정)".
constexpr std::array<QStringView, 5> fillerWords{u"카메라", u"촬영", u"전방", u"방향", u"방면"};

template<std::size_t N> bool isOneOf(QStringView word, const std::array<QStringView, N> &words)
{
    return std::find(words.begin(), words.end(), word) != words.end();
}

bool isSeparator(QChar c)
{
    static constexpr QStringView separators = u",，/·・、()[];+&";
    return c.isSpace() || separators.contains(c);
}

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

// What the words of one text said, before they are weighed against each other.
struct Reading
{
    std::optional<double> angle;
    bool conflictingAngles = false;
    bool unreadWord = false;
    bool allRound = false;
    bool turning = false;
    bool fixed = false;
    std::optional<int> count; // 단방향 1, 양방향 2, "3방향" 3
    bool conflictingCounts = false;
    std::vector<float> headings;

    void addAngle(double degrees)
    {
        if (angle && *angle != degrees)
            conflictingAngles = true;
        angle = degrees;
    }

    void addCount(int n)
    {
        if (count && *count != n)
            conflictingCounts = true;
        count = n;
    }

    void addHeading(float heading)
    {
        if (std::find(headings.begin(), headings.end(), heading) == headings.end())
            headings.push_back(heading);
    }

    bool readCompass(QStringView word)
    {
        for (QStringView suffix : compassSuffixes) {
            if (word.size() > suffix.size() && word.endsWith(suffix)) {
                word.chop(suffix.size());
                break;
            }
        }
        for (const CompassWord &c : compassWords) {
            if (c.word == word) {
                for (int i = 0; i < c.count; ++i)
                    addHeading(c.headings[std::size_t(i)]);
                return true;
            }
        }
        return false;
    }

    // "1방면", "2방향", "3방향": a number of directions, not which.
    bool readDirectionCount(QStringView word)
    {
        if (word.size() != 3 || !isAsciiDigit(word[0]) || word[0] == u'0')
            return false;
        if (word.mid(1) != u"방향" && word.mid(1) != u"방면")
            return false;
        addCount(word[0].unicode() - u'0');
        return true;
    }

    void readWord(QStringView word)
    {
        const QString folded = word.toString().toCaseFolded();
        if (folded == u"360")
            addAngle(360);
        else if (isOneOf(folded, allRoundWords))
            allRound = true;
        else if (isOneOf(folded, turningWords))
            turning = true;
        else if (isOneOf(folded, fixedWords))
            fixed = true;
        else if (folded == u"단방향" || folded == u"일방향" || folded == u"한방향")
            addCount(1);
        else if (folded == u"양방향")
            addCount(2);
        else if (isOneOf(folded, fillerWords) || readDirectionCount(folded) || readCompass(folded))
            return;
        else
            unreadWord = true;
    }

    // Splits the text into words, taking "<number>도" and "<number>°" out wherever they stand
    // ("360도전방면" is an angle and a word).
    void read(QStringView text)
    {
        qsizetype wordStart = 0;
        auto flush = [&](qsizetype end) {
            if (end > wordStart)
                readWord(text.mid(wordStart, end - wordStart));
        };
        for (qsizetype i = 0; i < text.size();) {
            if (isSeparator(text[i])) {
                flush(i);
                wordStart = ++i;
                continue;
            }
            if (isAsciiDigit(text[i]) && (i == wordStart || !isAsciiDigit(text[i - 1]))) {
                qsizetype j = i;
                while (j < text.size() && (isAsciiDigit(text[j]) || text[j] == u'.'))
                    ++j;
                qsizetype unit = j;
                while (unit < text.size() && text[unit].isSpace())
                    ++unit;
                if (unit < text.size() && (text[unit] == u'도' || text[unit] == u'°')) {
                    bool ok = false;
                    const double degrees = text.mid(i, j - i).toDouble(&ok);
                    if (!ok)
                        unreadWord = true;
                    else
                        addAngle(degrees);
                    flush(i);
                    wordStart = i = unit + 1;
                    continue;
                }
                i = j;
                continue;
            }
            ++i;
        }
        flush(text.size());
    }
};

CameraView panoramic()
{
    CameraView v;
    v.kind = CameraView::Kind::Panoramic;
    v.fieldOfViewDegrees = 360;
    return v;
}

} // namespace

CameraView parseCameraView(QStringView text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return {};
    Reading r;
    r.read(text);
    if (r.unreadWord || r.conflictingAngles || r.conflictingCounts)
        return {};
    if (r.angle && (*r.angle <= 0 || *r.angle > 360))
        return {};
    if (r.count && !r.headings.empty() && *r.count != int(r.headings.size()))
        return {}; // "1방면" with two compass words: which to believe?

    const bool stated360 = r.angle && *r.angle == 360;
    if (stated360 || (!r.angle && (r.allRound || r.turning) && r.headings.empty())) {
        if (r.fixed || r.count)
            return {}; // "360도 고정", "전방면 단방향"
        return panoramic();
    }
    if (r.angle && r.turning)
        return {};
    if (r.angle || !r.headings.empty() || r.fixed || r.count) {
        if (!r.angle && (r.allRound || r.turning))
            return {}; // "회전 북": does it turn or look north?
        CameraView v;
        v.kind = CameraView::Kind::Directional;
        v.headingsDegrees = std::move(r.headings);
        if (r.angle) {
            v.fieldOfViewDegrees = *r.angle;
        } else if (v.headingKnown()) {
            v.fieldOfViewDegrees = CameraView::defaultFieldOfViewDegrees;
            v.fieldOfViewAssumed = true;
        }
        return v;
    }
    return {}; // only filler words ("전방", "카메라")
}

void CameraViewStats::add(QStringView text, const CameraView &view)
{
    switch (view.kind) {
    case CameraView::Kind::Panoramic:
        ++panoramic;
        return;
    case CameraView::Kind::Directional:
        ++directional;
        headingKnown += view.headingKnown();
        return;
    case CameraView::Kind::Unknown:
        if (text.trimmed().isEmpty())
            ++empty;
        else
            ++unknown;
        return;
    }
}

} // namespace gwanje
