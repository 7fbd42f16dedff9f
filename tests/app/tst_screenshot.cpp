// `gwanje --screenshot` as a process under Xvfb: the real app draws Seoul and exits 0.
#include "AppProcess.h"
#include "TestSupport.h"

#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace gwanje;

namespace {
int countNear(const QImage &image, QColor colour, int tolerance)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            n += std::abs(c.red() - colour.red()) <= tolerance && std::abs(c.green() - colour.green()) <= tolerance &&
                 std::abs(c.blue() - colour.blue()) <= tolerance;
        }
    }
    return n;
}
} // namespace

class TestScreenshot : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void screenshotShowsSeoul()
    {
        const QString png = m_dir.filePath(QStringLiteral("seoul.png"));
        const test::AppRun run = test::runApp(
            {QStringLiteral("--screenshot"), png, QStringLiteral("--after"), QStringLiteral("0.5")}, 120000);
        QVERIFY2(run.exitCode == 0 && !run.crashed, run.err.constData());
        const QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1600, 900));
        // The whole city is in view, so its tens of thousands of markers are clustered: many
        // pixels of the cluster badges' colour, and the markers that stand alone.
        const int badges = countNear(image, QColor(0x3a, 0x5f, 0x9e), 10);
        const int cameras = countNear(image, QColor(0xff, 0x9f, 0x1c), 10);
        const int background = countNear(image, QColor(0x0b, 0x12, 0x20), 3);
        QVERIFY2(badges > 20000, qPrintable(QString::number(badges)));
        QVERIFY2(cameras > 0, qPrintable(QString::number(cameras)));
        QVERIFY2(background > 200000, qPrintable(QString::number(background)));
    }

    void englishAndKoreanDiffer()
    {
        const QString ko = m_dir.filePath(QStringLiteral("ko.png"));
        const QString en = m_dir.filePath(QStringLiteral("en.png"));
        QCOMPARE(
            test::runApp({QStringLiteral("--screenshot"), ko, QStringLiteral("--after"), QStringLiteral("0")}, 120000)
                .exitCode,
            0);
        QCOMPARE(test::runApp({QStringLiteral("--screenshot"), en, QStringLiteral("--after"), QStringLiteral("0"),
                               QStringLiteral("--lang"), QStringLiteral("en")},
                              120000)
                     .exitCode,
                 0);
        // The title bar holds translated text: the two must differ there.
        const QImage a = QImage(ko).copy(0, 0, 600, 44);
        const QImage b = QImage(en).copy(0, 0, 600, 44);
        QVERIFY(!a.isNull() && !b.isNull());
        QVERIFY(a != b);
    }
};

QTEST_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
