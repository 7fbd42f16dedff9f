// The core must stay free of any GUI: no file under core/ may include QtGui, QtQuick, QtQml,
// QtMultimedia or QtWidgets (they would also drag GUI libraries into headless tools).
#include "TestSupport.h"

#include <QDirIterator>
#include <QRegularExpression>
#include <QTest>

namespace {
// Plain (not raw) string literals: moc does not parse raw strings reliably.
const QRegularExpression forbiddenInclude(
    QStringLiteral("^\\s*#\\s*include\\s*[<\"]("
                   "Qt(Gui|Quick|Qml|Multimedia|Widgets|QuickControls2|OpenGL)\\b[^>\"]*|"
                   "Q(Gui|Quick|Qml|Multimedia|Widgets)\\w*(\\.h)?|QImage|QPainter|QColor|QPolygonF|QFont\\w*|"
                   "QQuick\\w+|QQml\\w+|QMedia\\w+|QVideo\\w+|QWidget|QApplication|QGuiApplication"
                   ")[>\"]"),
    QRegularExpression::MultilineOption);

QStringList forbiddenIncludes(const QByteArray &source)
{
    QStringList hits;
    auto it = forbiddenInclude.globalMatch(QString::fromUtf8(source));
    while (it.hasNext())
        hits.append(it.next().captured(0).trimmed());
    return hits;
}
} // namespace

class TestCoreIncludes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { gwanje::test::failOnUnexpectedWarnings(); }

    // The rule itself, so a broken pattern cannot make the real check vacuous.
    void patternCatches_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("forbidden");
        QTest::newRow("QtGui module") << QByteArray("#include <QtGui/QImage>") << true;
        QTest::newRow("QImage") << QByteArray("#include <QImage>") << true;
        QTest::newRow("QQuickItem") << QByteArray("  #  include <QQuickItem>") << true;
        QTest::newRow("QtQml") << QByteArray("#include <QtQml>") << true;
        QTest::newRow("QMediaPlayer") << QByteArray("#include <QMediaPlayer>") << true;
        QTest::newRow("QGuiApplication") << QByteArray("#include \"QGuiApplication\"") << true;
        QTest::newRow("QWidget") << QByteArray("#include <QWidget>") << true;
        QTest::newRow("QString") << QByteArray("#include <QString>") << false;
        QTest::newRow("QGeoCoordinate") << QByteArray("#include <QGeoCoordinate>") << false;
        QTest::newRow("QSqlDatabase") << QByteArray("#include <QSqlDatabase>") << false;
        QTest::newRow("comment") << QByteArray("// do not #include <QImage> here") << false;
    }
    void patternCatches()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, forbidden);
        QCOMPARE(!forbiddenIncludes(line).isEmpty(), forbidden);
    }

    void coreHasNoGuiIncludes()
    {
        const QString core = QStringLiteral(GWANJE_SOURCE_DIR "/core");
        QDirIterator it(core, {QStringLiteral("*.h"), QStringLiteral("*.cpp"), QStringLiteral("*.in")}, QDir::Files,
                        QDirIterator::Subdirectories);
        int files = 0;
        QStringList violations;
        while (it.hasNext()) {
            const QString path = it.next();
            ++files;
            for (const QString &hit : forbiddenIncludes(gwanje::test::readFile(path)))
                violations.append(path.mid(core.size() + 1) + QStringLiteral(": ") + hit);
        }
        QVERIFY2(files > 10, "core sources not found");
        QVERIFY2(violations.isEmpty(), qPrintable(violations.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestCoreIncludes)
#include "tst_coreincludes.moc"
