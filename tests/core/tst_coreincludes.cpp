// The core must stay free of any GUI: no file under core/ may include QtGui, QtQuick, QtQml,
// QtMultimedia or QtWidgets (they would also drag GUI libraries into headless tools). The layers
// point one way (app -> ui -> core), no two files include each other in a loop, and the store's
// private headers stay the store's (issue 11).
#include "TestSupport.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <functional>

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

const QRegularExpression quotedInclude(QStringLiteral("^\\s*#\\s*include\\s*\"([^\"]+)\""),
                                       QRegularExpression::MultilineOption);

// The project's sources by path relative to the source root, and their quoted includes resolved
// as the build resolves them: beside the file, from core/, from each ui/ folder, from app/.
struct SourceTree
{
    QHash<QString, QStringList> includes; // file -> the project files it includes
    QStringList unresolved;               // quoted includes found nowhere (generated files)
};

SourceTree readTree()
{
    const QDir root(QStringLiteral(GWANJE_SOURCE_DIR));
    QStringList files;
    for (const char *top : {"core", "ui", "app"}) {
        QDirIterator it(root.filePath(QString::fromLatin1(top)), {QStringLiteral("*.h"), QStringLiteral("*.cpp")},
                        QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files.append(root.relativeFilePath(it.next()));
    }
    const QSet<QString> known(files.begin(), files.end());
    const QStringList searchPath{QStringLiteral("core"),      QStringLiteral("ui/common"), QStringLiteral("ui/assets"),
                                 QStringLiteral("ui/alarms"), QStringLiteral("ui/map"),    QStringLiteral("app")};
    SourceTree tree;
    for (const QString &file : std::as_const(files)) {
        QStringList &out = tree.includes[file];
        auto it = quotedInclude.globalMatch(QString::fromUtf8(gwanje::test::readFile(root.filePath(file))));
        while (it.hasNext()) {
            const QString name = it.next().captured(1);
            QString found;
            const QString beside = QDir::cleanPath(QFileInfo(file).path() + QLatin1Char('/') + name);
            if (known.contains(beside))
                found = beside;
            for (const QString &dir : searchPath) {
                if (found.isEmpty() && known.contains(dir + QLatin1Char('/') + name))
                    found = dir + QLatin1Char('/') + name;
            }
            if (found.isEmpty())
                tree.unresolved.append(file + QStringLiteral(": ") + name);
            else
                out.append(found);
        }
    }
    return tree;
}

// A loop of includes, as "a -> b -> a", or empty.
QString findCycle(const QHash<QString, QStringList> &graph)
{
    QHash<QString, int> state; // 0 new, 1 on the path, 2 done
    QStringList path;
    std::function<QString(const QString &)> visit = [&](const QString &node) -> QString {
        state[node] = 1;
        path.append(node);
        for (const QString &next : graph.value(node)) {
            if (state.value(next) == 1)
                return (path.mid(path.indexOf(next)) << next).join(QStringLiteral(" -> "));
            if (state.value(next) == 0) {
                if (QString cycle = visit(next); !cycle.isEmpty())
                    return cycle;
            }
        }
        path.removeLast();
        state[node] = 2;
        return {};
    };
    QStringList nodes = graph.keys();
    nodes.sort();
    for (const QString &node : std::as_const(nodes)) {
        if (state.value(node) == 0) {
            if (QString cycle = visit(node); !cycle.isEmpty())
                return cycle;
        }
    }
    return {};
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

    // The loop finder itself, so an empty answer means something.
    void cycleFinderFindsALoop()
    {
        const QHash<QString, QStringList> loop{{QStringLiteral("a.h"), {QStringLiteral("b.h")}},
                                               {QStringLiteral("b.h"), {QStringLiteral("c.h")}},
                                               {QStringLiteral("c.h"), {QStringLiteral("a.h")}}};
        QCOMPARE(findCycle(loop), QStringLiteral("a.h -> b.h -> c.h -> a.h"));
        const QHash<QString, QStringList> chain{{QStringLiteral("a.h"), {QStringLiteral("b.h"), QStringLiteral("c.h")}},
                                                {QStringLiteral("b.h"), {QStringLiteral("c.h")}}};
        QVERIFY(findCycle(chain).isEmpty());
    }

    void layersPointOneWayAndNothingLoops()
    {
        const SourceTree tree = readTree();
        QVERIFY2(tree.includes.size() > 100, "sources not found");
        QStringList violations;
        for (auto it = tree.includes.cbegin(); it != tree.includes.cend(); ++it) {
            for (const QString &target : it.value()) {
                const bool fromCore = it.key().startsWith(QLatin1String("core/"));
                const bool fromUi = it.key().startsWith(QLatin1String("ui/"));
                if ((fromCore && !target.startsWith(QLatin1String("core/"))) ||
                    (fromUi && target.startsWith(QLatin1String("app/"))))
                    violations.append(it.key() + QStringLiteral(" includes ") + target);
            }
        }
        QVERIFY2(violations.isEmpty(), qPrintable(violations.join(QLatin1Char('\n'))));
        const QString cycle = findCycle(tree.includes);
        QVERIFY2(cycle.isEmpty(), qPrintable(QStringLiteral("an include loop: ") + cycle));
    }

    void noModuleReadsAnotherModulesStorePrivates()
    {
        // Three writers share the store file, each owning its tables (store/StoreFile.h): the
        // store's schema and internals are its own, reached only through its public headers.
        const SourceTree tree = readTree();
        QStringList violations;
        for (auto it = tree.includes.cbegin(); it != tree.includes.cend(); ++it) {
            for (const QString &target : it.value()) {
                const QString folder = target.section(QLatin1Char('/'), 0, 1);
                if (target.endsWith(QLatin1String("_p.h")) && folder == QLatin1String("core/store") &&
                    !it.key().startsWith(folder + QLatin1Char('/')))
                    violations.append(it.key() + QStringLiteral(" includes ") + target);
            }
        }
        QVERIFY2(violations.isEmpty(), qPrintable(violations.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestCoreIncludes)
#include "tst_coreincludes.moc"
