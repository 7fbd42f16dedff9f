// The CCTV "shooting direction" text (촬영방면정보) read into view cones, case by case with the
// file's own spellings, and over the whole real file read with GDAL.
#include "TestSupport.h"
#include "assets/CameraView.h"
#include "data/DatasetMapping.h"

#include <QHash>
#include <QList>
#include <QTest>

#include <gdal.h>
#include <ogr_api.h>

#include <algorithm>

using namespace gwanje;
using Kind = CameraView::Kind;

namespace {

constexpr Kind P = Kind::Panoramic, D = Kind::Directional, U = Kind::Unknown;

// The distinct direction texts of the real CCTV file with their row counts, straight from GDAL.
struct FileColumn
{
    qint64 rows = 0;
    QHash<QString, int> counts;
};

FileColumn readDirectionColumn()
{
    FileColumn column;
    const QString mappingPath = QStringLiteral(GWANJE_DATA_DIR "/seoul/cctv/seoul_cctv_2018.mapping.json");
    QString error;
    const auto mapping = DatasetMapping::fromJson(test::readFile(mappingPath), mappingPath, &error);
    if (!mapping)
        return column;
    GDALDatasetH ds = GDALOpenEx(mapping->sourceFile.toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                 nullptr, nullptr);
    if (!ds)
        return column;
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    const int field = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(layer),
                                           mapping->column(QStringLiteral("direction")).toUtf8().constData());
    if (field >= 0) {
        while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
            ++column.rows;
            ++column.counts[QString::fromUtf8(OGR_F_GetFieldAsString(f, field))];
            OGR_F_Destroy(f);
        }
    }
    GDALClose(ds);
    return column;
}

// Only compass words and list punctuation: "북,남", "동,서,남,북", "북동,남서", "남북방향".
bool onlyCompass(const QString &text)
{
    static const QString allowed = QStringLiteral("동서남북, ");
    return !text.trimmed().isEmpty() &&
           std::all_of(text.begin(), text.end(), [](QChar c) { return allowed.contains(c); });
}

// One parse_data() row: what a text must be read as.
void row(const char *tag, const QString &text, Kind kind, double fov = 0, const QList<float> &headings = {},
         bool assumed = false)
{
    QTest::newRow(tag) << text << kind << fov << assumed << headings;
}

// A compass list without an angle: the default field of view on each heading.
void compass(const char *tag, const QString &text, const QList<float> &headings)
{
    row(tag, text, Kind::Directional, CameraView::defaultFieldOfViewDegrees, headings, true);
}

} // namespace

class TestCameraView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { GDALAllRegister(); }
    void init() { test::failOnUnexpectedWarnings(); }

    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<Kind>("kind");
        QTest::addColumn<double>("fov");
        QTest::addColumn<bool>("assumed");
        QTest::addColumn<QList<float>>("headings");

        // Spellings from seoul_cctv_2018.csv, with their row counts there.
        row("360도전방면 7676", QStringLiteral("360도전방면"), P, 360);
        row("360도 전방면 3727", QStringLiteral("360도 전방면"), P, 360);
        row("360 1382", QStringLiteral("360"), P, 360);
        row("360도 전방향 698", QStringLiteral("360도 전방향"), P, 360);
        row("360도 전방 686", QStringLiteral("360도 전방"), P, 360);
        row("360도 671", QStringLiteral("360도"), P, 360);
        row("반경 1236", QStringLiteral("반경 30~150미터 이내(기종따라 다름)"), U);
        row("0 787", QStringLiteral("0"), U);
        row("1방면 543", QStringLiteral("1방면"), D, 0);
        row("카메라 전면(고정) 201", QStringLiteral("카메라 전면(고정)"), D, 0);
        row("180도 198", QStringLiteral("180도"), D, 180);
        row("120도 186", QStringLiteral("120도"), D, 120);
        row("90도 단방향 77", QStringLiteral("90도 단방향"), D, 90);
        row("단방향 74", QStringLiteral("단방향"), D, 0);
        row("하단(투기 위치) 73", QStringLiteral("하단(투기 위치)"), U);
        compass("북,남 44", QStringLiteral("북,남"), {0, 180});
        compass("동,서 22", QStringLiteral("동,서"), {90, 270});
        row("270도전방면 20", QStringLiteral("270도전방면"), D, 270);
        row("180도전방면 6", QStringLiteral("180도전방면"), D, 180);
        row("전주밑 20", QStringLiteral("전주밑"), U);
        row("고정 19", QStringLiteral("고정"), D, 0);
        compass("동,남,서 13", QStringLiteral("동,남,서"), {90, 180, 270});
        compass("남 11", QStringLiteral("남"), {180});
        compass("동,서,남,북 7", QStringLiteral("동,서,남,북"), {90, 270, 180, 0});
        compass("북동,남서 4", QStringLiteral("북동,남서"), {45, 225});
        compass("북,남동,남 1", QStringLiteral("북,남동,남"), {0, 135, 180});
        compass("북서,남서,서 1", QStringLiteral("북서,남서,서"), {315, 225, 270});
        compass("븍,남 (typo) 1", QStringLiteral("븍,남"), {0, 180});
        row("주차장 내부… 11", QStringLiteral("주차장 내부, 출입구 등"), U);
        row("(주택 앞) 1", QStringLiteral("(주택 앞)"), U);
        // A compass word in a place text is part of the place: no heading from these.
        row("건물내B1층,남서 1", QStringLiteral("건물내B1층,남서"), U);
        row("남동전기 앞 1", QStringLiteral("남동전기 앞"), U);
        row("동주민센터 앞 1", QStringLiteral("동주민센터 앞"), U);
        row("서울교회 옆 1", QStringLiteral("서울교회 옆"), U);
        row("북한강성원아파트 입구 1", QStringLiteral("북한강성원아파트 입구"), U);
        row("용산동5가 24-2 1", QStringLiteral("용산동5가 24-2"), U);
        row("3호터널 상부 1", QStringLiteral("3호터널 상부"), U);
        row("empty 5276", QString(), U);

        // Not in the file: other spellings read, or refused, on purpose.
        row("blank", QStringLiteral("  "), U);
        row("padded", QStringLiteral(" 360도전방면 "), P, 360);
        row("120°", QStringLiteral("120°"), D, 120);
        row("120 도", QStringLiteral("120 도"), D, 120);
        row("120도 북동", QStringLiteral("120도 북동"), D, 120, {45});
        compass("남북방향", QStringLiteral("남북방향"), {180, 0});
        compass("동서", QStringLiteral("동서"), {90, 270});
        compass("북쪽", QStringLiteral("북쪽"), {0});
        compass("동북", QStringLiteral("동북"), {45});
        compass("서남측", QStringLiteral("서남측"), {225});
        compass("북/남", QStringLiteral("북/남"), {0, 180});
        compass("북 남", QStringLiteral("북 남"), {0, 180});
        compass("북,북", QStringLiteral("북,북"), {0});
        compass("사방", QStringLiteral("사방"), {0, 90, 180, 270});
        compass("동서남북", QStringLiteral("동서남북"), {90, 270, 180, 0});
        row("양방향", QStringLiteral("양방향"), D, 0);
        compass("양방향 동,서", QStringLiteral("양방향(동,서)"), {90, 270});
        row("4방향", QStringLiteral("4방향"), D, 0);
        row("전방면", QStringLiteral("전방면"), P, 360);
        row("전방향", QStringLiteral("전방향"), P, 360);
        row("회전", QStringLiteral("회전"), P, 360);
        row("PTZ", QStringLiteral("PTZ"), P, 360);
        row("ptz 카메라", QStringLiteral("ptz 카메라"), P, 360);
        row("360도 북", QStringLiteral("360도 북"), P, 360);
        // Conservative: contradictions, bare numbers and compact lists that could be read two ways.
        row("1방면 북,남", QStringLiteral("1방면 북,남"), U);
        compass("2방향 북,남", QStringLiteral("2방향 북,남"), {0, 180});
        row("360도 고정", QStringLiteral("360도 고정"), U);
        row("회전 180도", QStringLiteral("회전 180도"), U);
        row("회전 북", QStringLiteral("회전 북"), U);
        row("90도 120도", QStringLiteral("90도 120도"), U);
        row("0도", QStringLiteral("0도"), U);
        row("400도", QStringLiteral("400도"), U);
        row("90 (heading or angle?)", QStringLiteral("90"), U);
        row("동남서 (compact)", QStringLiteral("동남서"), U);
        row("전방 (front)", QStringLiteral("전방"), U);
        row("arrow", QStringLiteral("↑"), U);
    }
    void parse()
    {
        QFETCH(QString, text);
        QFETCH(Kind, kind);
        QFETCH(double, fov);
        QFETCH(bool, assumed);
        QFETCH(QList<float>, headings);
        const CameraView v = parseCameraView(text);
        QCOMPARE(v.kind, kind);
        QCOMPARE(v.fieldOfViewDegrees, fov);
        QCOMPARE(v.fieldOfViewAssumed, assumed);
        QCOMPARE(QList<float>(v.headingsDegrees.begin(), v.headingsDegrees.end()), headings);
        QCOMPARE(v.headingKnown(), !headings.isEmpty());
        if (kind != Kind::Directional)
            QVERIFY(v.headingsDegrees.empty());
    }

    void statsSeparateEmptyFromUnknown()
    {
        CameraViewStats s;
        for (QStringView t : {u"360도", u"북,남", u"120도", u"전주밑", u"", u"  "})
            s.add(t, parseCameraView(t));
        QCOMPARE(s.panoramic, 1);
        QCOMPARE(s.directional, 2);
        QCOMPARE(s.headingKnown, 1);
        QCOMPARE(s.unknown, 1);
        QCOMPARE(s.empty, 2);
        QCOMPARE(s.total(), 6);
    }

    void realFile()
    {
        const FileColumn column = readDirectionColumn();
        QVERIFY(column.rows > 20000);
        CameraViewStats stats;
        int emptyInFile = 0;
        for (auto it = column.counts.cbegin(); it != column.counts.cend(); ++it) {
            const CameraView v = parseCameraView(it.key());
            for (int i = 0; i < it.value(); ++i)
                stats.add(it.key(), v);
            if (it.key().trimmed().isEmpty())
                emptyInFile += it.value();
            // Every plain compass list gets its headings, and a heading never comes from anything else
            // (the file's one "븍,남" typo aside).
            if (it.key() != u"븍,남")
                QVERIFY2(onlyCompass(it.key()) == v.headingKnown(), qPrintable(it.key()));
        }
        QCOMPARE(stats.total(), int(column.rows));
        QCOMPARE(stats.empty, emptyInFile);

        // Of the texts that say something, 85.8% are read. What is not: 관악구's "반경 30~150미터…"
        // (1,236), 중랑구's "0" (787) and place descriptions, mostly 용산구's (696 in all).
        const int said = stats.total() - stats.empty;
        QVERIFY2(stats.panoramic + stats.directional >= said * 0.85,
                 qPrintable(QStringLiteral("%1 of %2 read").arg(stats.panoramic + stats.directional).arg(said)));

        // Measured on seoul_cctv_2018.csv (24,363 rows) as a regression guard: a change here means
        // the parser now reads some spelling differently; find which before updating the figures.
        QCOMPARE(stats.panoramic, 14840);
        QCOMPARE(stats.directional, 1528);
        QCOMPARE(stats.headingKnown, 201);
        QCOMPARE(stats.unknown, 2719);
        QCOMPARE(stats.empty, 5276);
    }
};

QTEST_GUILESS_MAIN(TestCameraView)
#include "tst_cameraview.moc"
