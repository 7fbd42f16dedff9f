// gwanje-mapbench: the map engine's figures under one scene-graph back end (the process's Qt
// platform decides it). gwanje-bench runs it twice: offscreen with the software adaptation, and
// under Xvfb with OpenGL on Mesa (llvmpipe); it prints the same JSON lines as gwanje-bench.

#include "BenchJson.h"
#include "MapOverlay_p.h"
#include "MapStyle.h"
#include "MapView.h"
#include "geo/WebMercator.h"

#include <QAbstractListModel>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QImage>
#include <QLoggingCategory>
#include <QPainter>
#include <QQmlComponent>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickView>
#include <QQuickWindow>
#include <QRandomGenerator>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>

using namespace gwanje;

namespace {

constexpr QSize windowSize(1280, 800);

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Times one frame: the GUI-thread update, then the scene graph from the moment the window starts
// the frame (after animations, before polish) to the swap. The wait in between (the platform's
// update timer) is not counted: it is not work.
class FrameTimer
{
public:
    explicit FrameTimer(QQuickWindow *window)
        : m_window(window)
    {
        QObject::connect(
            window, &QQuickWindow::afterAnimating, window, [this] { m_start.store(nowNs()); }, Qt::DirectConnection);
        QObject::connect(
            window, &QQuickWindow::beforeSynchronizing, window,
            [this] {
                if (m_start.load() < m_requested) // a loop without afterAnimating
                    m_start.store(nowNs());
            },
            Qt::DirectConnection);
        QObject::connect(
            window, &QQuickWindow::frameSwapped, window, [this] { m_swapped.store(nowNs()); }, Qt::DirectConnection);
    }

    // Milliseconds of one frame in which mutate() changes the scene.
    double frame(const std::function<void()> &mutate, QQuickItem *item)
    {
        const qint64 t0 = nowNs();
        mutate();
        const qint64 t1 = nowNs();
        m_requested = t1;
        item->update();
        m_window->requestUpdate();
        // Sleep until the swap: spinning here would take a core from the render thread.
        QEventLoop loop;
        QObject::connect(m_window, &QQuickWindow::frameSwapped, &loop, &QEventLoop::quit, Qt::QueuedConnection);
        QTimer::singleShot(5000, &loop, &QEventLoop::quit);
        while (m_swapped.load() < t1 && loop.exec() == 0 && m_swapped.load() < t1) {
        }
        return double((t1 - t0) + (m_swapped.load() - m_start.load())) / 1e6;
    }

private:
    QQuickWindow *m_window;
    std::atomic<qint64> m_start{0}, m_swapped{0};
    qint64 m_requested = 0;
};

std::unique_ptr<QQuickWindow> makeWindow()
{
    auto window = std::make_unique<QQuickWindow>();
    window->setColor(QColor(0x0b, 0x12, 0x20));
    window->resize(windowSize);
    window->show();
    QElapsedTimer t;
    t.start();
    while (!window->isExposed() && t.elapsed() < 5000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    return window;
}

// n devices spread over the world rectangle, then nudged a few metres each frame.
struct Crowd
{
    std::vector<DevicePoint> points;
    QRandomGenerator rng{42};
    qint64 timeMs = 1'764'000'000'000;

    Crowd(int n, const GeoRect &world)
    {
        points.resize(std::size_t(n));
        for (int i = 0; i < n; ++i) {
            const QPointF lonLat = WebMercator::unproject(world.minX + rng.generateDouble() * world.width(),
                                                          world.minY + rng.generateDouble() * world.height());
            points[std::size_t(i)] = {quint32(i), lonLat.y(), lonLat.x(), false, timeMs};
        }
    }
    void step(double degrees = 0.0004)
    {
        timeMs += 10'000;
        for (DevicePoint &p : points) {
            p.latitude += (rng.generateDouble() - 0.5) * degrees;
            p.longitude += (rng.generateDouble() - 0.5) * degrees;
            p.timeMs = timeMs;
        }
    }
};

GeoRect seoulWorld()
{
    const QPointF nw = WebMercator::project(126.80, 37.69), se = WebMercator::project(127.18, 37.43);
    return GeoRect::fromEdges(nw.x(), nw.y(), se.x(), se.y());
}

struct MapUnderTest
{
    std::unique_ptr<QQuickWindow> window = makeWindow();
    MapView *map = new MapView(window->contentItem());
    MapUnderTest() { map->setSize(QSizeF(windowSize)); }
};

// The baseline of map.frame_ms_100k_*: the same 100,000 markers in the same view, moved the same
// way, drawn by QPainter into a QImage of the window's size (antialiased dots of the device colour).
double painterFrame(int frames)
{
    MapView map; // for its viewport only: the view movingFrame shows
    map.setSize(QSizeF(windowSize));
    map.setZoom(12.0);
    map.setCenter(QGeoCoordinate(37.56, 126.99));
    const MapViewport viewport = map.viewport();
    Crowd crowd(100'000, viewport.visibleWorld());
    QImage image(windowSize, QImage::Format_ARGB32_Premultiplied);
    std::vector<double> times;
    for (int f = 0; f < frames; ++f) {
        crowd.step();
        QElapsedTimer t;
        t.start();
        image.fill(QColor(0x0b, 0x12, 0x20));
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(MapStyle::device());
        for (const DevicePoint &p : crowd.points)
            painter.drawEllipse(viewport.worldToScreen(WebMercator::projectFast(p.longitude, p.latitude)), 3.0, 3.0);
        painter.end();
        times.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    return bench::median(times);
}

// The baseline of map.update_50k_moves_ms: a plain memcpy of the same 50,000 moved positions.
double copyMoves(int runs)
{
    Crowd crowd(100'000, seoulWorld());
    std::vector<DevicePoint> copy(50'000);
    std::vector<double> times;
    double checksum = 0;
    for (int r = 0; r < runs; ++r) {
        crowd.step();
        QElapsedTimer t;
        t.start();
        std::memcpy(copy.data(), crowd.points.data() + (r % 2) * 50'000, copy.size() * sizeof(DevicePoint));
        times.push_back(double(t.nsecsElapsed()) / 1e6);
        checksum += copy[std::size_t(r) % copy.size()].latitude; // the copy is used
    }
    if (!std::isfinite(checksum))
        std::fprintf(stderr, "gwanje-mapbench: copy checksum %f\n", checksum);
    return bench::median(times);
}

// 100,000 markers all in view (clustering off) or the whole city (clustering on), all moving,
// 5,000 of them with tracks.
double movingFrame(bool clustered, int frames)
{
    MapUnderTest m;
    const GeoRect seoul = seoulWorld();
    m.map->setZoom(clustered ? 10.6 : 12.0);
    m.map->setCenter(QGeoCoordinate(37.56, 126.99));
    m.map->setClustering(clustered);
    m.map->setTrackLimit(5000);
    const GeoRect view = m.map->viewport().visibleWorld();
    Crowd crowd(100'000, clustered ? seoul : view);
    FrameTimer timer(m.window.get());
    std::vector<double> times, applied, drawn;
    for (int f = 0; f < frames + 25; ++f) { // the first 25 fill the tracks
        crowd.step();
        QElapsedTimer apply;
        double applyMs = 0;
        const double ms = timer.frame(
            [&] {
                apply.start();
                m.map->applyDevices(crowd.points);
                applyMs = double(apply.nsecsElapsed()) / 1e6;
            },
            m.map);
        if (f >= 25) {
            times.push_back(ms);
            applied.push_back(applyMs);
            drawn.push_back(m.map->lastOverlayMs());
        }
    }
    // Where the time goes, for whoever tunes it (stderr: not a benchmark line).
    std::fprintf(stderr, "gwanje-mapbench: %s frame %.2f ms = apply %.2f + map node %.2f + rest\n",
                 clustered ? "city" : "100k", bench::median(times), bench::median(applied), bench::median(drawn));
    return bench::median(times);
}

double applyMoves(int runs)
{
    MapView map;
    map.setSize(QSizeF(windowSize));
    Crowd crowd(100'000, seoulWorld());
    map.applyDevices(crowd.points);
    std::vector<double> times;
    for (int r = 0; r < runs; ++r) {
        crowd.step();
        std::vector<DevicePoint> moved(crowd.points.begin() + (r % 2) * 50'000,
                                       crowd.points.begin() + (r % 2) * 50'000 + 50'000);
        QElapsedTimer t;
        t.start();
        map.applyDevices(moved);
        times.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    return bench::median(times);
}

double clusterRebuild(int runs)
{
    MarkerLayer layer;
    QRandomGenerator rng(3);
    const GeoRect seoul = seoulWorld();
    for (int i = 0; i < 260'000; ++i)
        layer.add(quint32(i), MarkerKind(i % markerKindCount), MarkerState(rng.bounded(10) == 0 ? 2 : 0),
                  QPointF(seoul.minX + rng.generateDouble() * seoul.width(),
                          seoul.minY + rng.generateDouble() * seoul.height()));
    MapViewport vp(QPointF(seoul.centerX(), seoul.centerY()), 10.6, QSizeF(windowSize));
    std::vector<MapCluster> clusters;
    std::vector<double> times;
    for (int r = 0; r < runs; ++r) {
        QElapsedTimer t;
        t.start();
        MapOverlay::buildClusters(layer, vp, {true, true, true, true}, 64, clusters);
        times.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    return bench::median(times);
}

double pickMicroseconds(int probes)
{
    MapView map;
    map.setSize(QSizeF(windowSize));
    map.setClustering(false);
    map.setZoom(12.0);
    map.setCenter(QGeoCoordinate(37.56, 126.99));
    Crowd crowd(100'000, map.viewport().visibleWorld());
    map.applyDevices(crowd.points);
    QRandomGenerator rng(9);
    std::vector<QPointF> at(static_cast<std::size_t>(probes));
    for (QPointF &p : at)
        p = QPointF(rng.bounded(double(windowSize.width())), rng.bounded(double(windowSize.height())));
    int found = 0;
    QElapsedTimer t;
    t.start();
    for (const QPointF &p : at)
        found += map.pickAt(p) >= 0;
    const double us = double(t.nsecsElapsed()) / 1e3 / probes;
    if (found == 0)
        std::fprintf(stderr, "gwanje-mapbench: picking found nothing\n");
    return us;
}

// The baseline of map.vs_qml_items: one QML item per marker, positioned by bindings to a model,
// the way MapItemView + MapQuickItem place markers (without Qt Location's own projection work).
class MarkerModel : public QAbstractListModel
{
public:
    std::vector<QPointF> positions;
    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(positions.size()); }
    QVariant data(const QModelIndex &index, int role) const override
    {
        const QPointF &p = positions[std::size_t(index.row())];
        return role == Qt::UserRole ? p.x() : p.y();
    }
    QHash<int, QByteArray> roleNames() const override
    {
        return {{Qt::UserRole, QByteArrayLiteral("px")}, {Qt::UserRole + 1, QByteArrayLiteral("py")}};
    }
    void moved() { Q_EMIT dataChanged(index(0), index(rowCount() - 1)); }
};

double qmlItemsFrame(int markers, int frames)
{
    auto window = makeWindow();
    QQmlEngine engine;
    MarkerModel model;
    QRandomGenerator rng(5);
    model.positions.resize(std::size_t(markers));
    for (QPointF &p : model.positions)
        p = QPointF(rng.bounded(double(windowSize.width())), rng.bounded(double(windowSize.height())));
    engine.rootContext()->setContextProperty(QStringLiteral("markerModel"), &model);
    QQmlComponent component(&engine);
    component.setData(
        QByteArrayLiteral("import QtQuick\n"
                          "Item {\n"
                          "  Repeater {\n"
                          "    model: markerModel\n"
                          "    delegate: Rectangle { required property real px; required property real py;\n"
                          "      x: px - 4; y: py - 4; width: 8; height: 8; radius: 4;\n"
                          "      color: '#e056fd'; border.color: '#0b1220' }\n"
                          "  }\n"
                          "}\n"),
        QUrl());
    auto *root = qobject_cast<QQuickItem *>(component.create());
    if (!root) {
        std::fprintf(stderr, "gwanje-mapbench: %s\n", qPrintable(component.errorString()));
        return 0.0;
    }
    root->setParentItem(window->contentItem());
    FrameTimer timer(window.get());
    std::vector<double> times;
    for (int f = 0; f < frames + 5; ++f) {
        const double ms = timer.frame(
            [&] {
                for (QPointF &p : model.positions)
                    p += QPointF(rng.bounded(3.0) - 1.5, rng.bounded(3.0) - 1.5);
                model.moved();
            },
            root);
        if (f >= 5)
            times.push_back(ms);
    }
    delete root;
    return bench::median(times);
}

double oursFrame(int markers, int frames)
{
    MapUnderTest m;
    m.map->setZoom(12.0);
    m.map->setCenter(QGeoCoordinate(37.56, 126.99));
    m.map->setClustering(false);
    m.map->setShowTracks(false);
    Crowd crowd(markers, m.map->viewport().visibleWorld());
    FrameTimer timer(m.window.get());
    std::vector<double> times;
    for (int f = 0; f < frames + 5; ++f) {
        crowd.step();
        const double ms = timer.frame([&] { m.map->applyDevices(crowd.points); }, m.map);
        if (f >= 5)
            times.push_back(ms);
    }
    return bench::median(times);
}

} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption quick(QStringLiteral("quick"), QStringLiteral("Fewer frames (smoke test)."));
    const QCommandLineOption backend(QStringLiteral("backend"), QStringLiteral("Suffix of the frame figures."),
                                     QStringLiteral("software|gl"), QStringLiteral("gl"));
    const QCommandLineOption filter(QStringLiteral("filter"), QStringLiteral("Only names containing TEXT."),
                                    QStringLiteral("TEXT"));
    const QCommandLineOption startupBaseline(
        QStringLiteral("startup-baseline"),
        QStringLiteral("Show a bare QQuickView, say {\"probe\": \"first_frame\"} at its first frame and quit "
                       "(the baseline of startup.first_frame_ms)."));
    parser.addOptions({quick, backend, filter, startupBaseline});
    parser.process(app);
    if (parser.isSet(startupBaseline)) {
        QQuickView view;
        view.resize(1600, 900);
        QObject::connect(
            &view, &QQuickWindow::frameSwapped, &app,
            [] {
                std::printf("{\"probe\": \"first_frame\"}\n");
                std::fflush(stdout);
                QCoreApplication::exit(0);
            },
            Qt::QueuedConnection);
        view.show();
        return QGuiApplication::exec();
    }
    QLoggingCategory::setFilterRules(QStringLiteral("gwanje.*.info=false"));
    bench::Settings settings;
    settings.quick = parser.isSet(quick);
    settings.filter = parser.value(filter);
    const QByteArray suffix = parser.value(backend).toLatin1();
    const int frames = settings.quick ? 5 : 40;

    const QByteArray frame100k = "map.frame_ms_100k_" + suffix;
    if (settings.selected(frame100k.constData())) {
        const double baseline = painterFrame(settings.quick ? 3 : 10);
        bench::emit(frame100k.constData(), movingFrame(false, frames), "ms", baseline);
    }
    const QByteArray frameCity = "map.frame_ms_city_" + suffix;
    if (settings.selected(frameCity.constData()))
        bench::emit(frameCity.constData(), movingFrame(true, frames), "ms", std::nullopt);
    const QByteArray vsQml = "map.vs_qml_items_" + suffix;
    if (settings.selected(vsQml.constData())) {
        // The baseline takes most of a second per frame under the software back end.
        const double baseline = qmlItemsFrame(3000, settings.quick ? 3 : frames);
        bench::emit(vsQml.constData(), oursFrame(3000, frames), "ms", baseline);
    }
    // Backend-independent figures: once, from the software run.
    if (suffix == "software") {
        if (settings.selected("map.update_50k_moves_ms")) {
            const int runs = settings.quick ? 5 : 41;
            const double baseline = copyMoves(runs);
            bench::emit("map.update_50k_moves_ms", applyMoves(runs), "ms", baseline);
        }
        if (settings.selected("map.cluster_rebuild_ms"))
            bench::emit("map.cluster_rebuild_ms", clusterRebuild(settings.quick ? 3 : 21), "ms", std::nullopt);
        if (settings.selected("map.pick_us"))
            bench::emit("map.pick_us", pickMicroseconds(settings.quick ? 10'000 : 200'000), "us", std::nullopt);
    }
    return 0;
}
