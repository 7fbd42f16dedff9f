// The main window as the operator sees it, rendered by the real scene graph under Xvfb: outlines
// and markers must be where the projection says, in their colours; a bad data file shows a banner.
#include "ConsoleBackend.h"
#include "MapStyle.h"
#include "MapView.h"
#include "TestSupport.h"
#include "WindowHarness.h"
#include "geo/WebMercator.h"
#include "map/MapConfig.h"
#include "map/VectorLayerData.h"

#include <QDateTime>
#include <QDir>
#include <QJSValue>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

#include <cmath>
#include <numbers>
#include <unordered_map>

using namespace gwanje;

namespace {

// Screen-space geometry of the map inside the window.
struct MapFrame
{
    const MapView *map;
    QPointF origin; // map item top-left in window pixels
    QRectF checked; // the part of the window clear of overlays (buttons, chips, legend)

    QPointF toWindow(QPointF world) const { return map->viewport().worldToScreen(world) + origin; }
};

MapFrame frameOf(const MapView *map)
{
    const QPointF origin = map->mapToScene(QPointF(0, 0));
    const QRectF rect(origin, QSizeF(map->width(), map->height()));
    return {map, origin, rect.adjusted(190, 180, -190, -120)};
}

bool anyPixelNear(const QImage &image, QPointF p, int radius, QColor want, int tolerance)
{
    for (int dy = -radius; dy <= radius; ++dy) {
        for (int dx = -radius; dx <= radius; ++dx) {
            const QPoint q(int(std::floor(p.x())) + dx, int(std::floor(p.y())) + dy);
            if (image.rect().contains(q) && test::colorDistance(image.pixelColor(q), want) <= tolerance)
                return true;
        }
    }
    return false;
}

double distanceToSegment(QPointF p, QPointF a, QPointF b)
{
    const QPointF ab = b - a;
    const double len2 = QPointF::dotProduct(ab, ab);
    const double t = len2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / len2, 0.0, 1.0) : 0.0;
    const QPointF d = p - (a + ab * t);
    return std::hypot(d.x(), d.y());
}

// The skip-th asset of a kind in the checked area with no other asset within 8 pixels; -1 if none.
int loneAsset(const AssetRegistry &reg, const MapFrame &frame, AssetKind kind, int skip = 0)
{
    const double pixel = 1.0 / frame.map->viewport().scale();
    for (std::size_t i = 0; i < reg.assets().size(); ++i) {
        const Asset &a = reg.assets()[i];
        if (a.kind != kind || !frame.checked.contains(frame.toWindow(a.world)))
            continue;
        int near = 0;
        reg.spatialIndex().forEachInRect(GeoRect::fromEdges(a.world.x() - 8 * pixel, a.world.y() - 8 * pixel,
                                                            a.world.x() + 8 * pixel, a.world.y() + 8 * pixel),
                                         [&near](int) { ++near; });
        if (near == 1 && skip-- == 0)
            return int(i);
    }
    return -1;
}

// The rows of the map's detail card as the operator reads them ("Label: value"); empty when the
// card is hidden.
QStringList cardRows(const test::WindowHarness &h)
{
    const auto *card = h.find<QQuickItem>(QStringLiteral("detailPanel"));
    QStringList out;
    if (!card || !card->isVisible())
        return out;
    QVariant rows = card->property("rows");
    if (rows.metaType() == QMetaType::fromType<QJSValue>())
        rows = rows.value<QJSValue>().toVariant();
    for (const QVariant &row : rows.toList())
        out.append(row.toList().value(0).toString() + QStringLiteral(": ") + row.toList().value(1).toString());
    return out;
}

// Shows the given marker kinds only (the layer chips, from code).
void showOnly(MapView *map, std::initializer_list<MarkerKind> kinds)
{
    auto shown = [&kinds](MarkerKind k) {
        return std::find(kinds.begin(), kinds.end(), k) != kinds.end();
    };
    map->setShowCameras(shown(MarkerKind::Camera));
    map->setShowWifi(shown(MarkerKind::WifiAp));
    map->setShowSensors(shown(MarkerKind::Sensor));
    map->setShowDevices(shown(MarkerKind::Device));
    map->setShowStreetlights(shown(MarkerKind::Streetlight));
    map->setShowShelters(shown(MarkerKind::Shelter));
}

// The whole screen driven through the one typed interface the app gives it (ConsoleBackend).
class FakeBackend final : public ConsoleBackend
{
public:
    AlarmSnapshot snapshot;
    std::vector<AlarmCommand> commands;
    std::function<void()> changed;

    AlarmSnapshot alarmSnapshot() override { return snapshot; }
    quint64 alarmsVersion() override { return snapshot.version; }
    void setAlarmsChangedCallback(std::function<void()> callback) override { changed = std::move(callback); }
    std::optional<AlarmCommandResult> submitAlarmCommand(const AlarmCommand &command,
                                                         std::function<void(const AlarmCommandResult &)>) override
    {
        commands.push_back(command);
        Alarm &a = snapshot.alarms.front();
        a.acknowledged = true;
        a.state = AlarmState::Acknowledged;
        ++snapshot.version;
        return AlarmCommandResult::done(a);
    }
    std::vector<AlarmHistoryEntry> alarmHistory(qint64) override { return {}; }
    std::optional<Procedure> procedure(const QString &) override { return std::nullopt; }
    QStringList problems() override { return {QStringLiteral("the backend says so")}; }
    bool live() const override { return true; }
    void devicePoints(std::vector<DevicePoint> &out) override
    {
        out.push_back({0, 37.5665, 126.978, true, QDateTime::currentMSecsSinceEpoch()});
    }
    quint64 assetStatus(quint64, std::vector<AssetStatusPoint> &) override { return 1; }
    qint64 sourceIndex(const QString &id) override { return id == QLatin1String("SD-000001") ? 0 : -1; }
    std::vector<std::vector<QPointF>> safeZones(quint32) override { return {}; }
    HistoryFacade::Snapshot historySnapshot() override { return {}; }
    bool hasHistory() override { return false; }
    std::vector<QPointF> track(quint32, qint64, qint64) override { return {}; }
    std::vector<DevicesFacade::HeatPoint> heat(qint64, qint64) override { return {}; }
};

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void rendersSeoul()
    {
        test::WindowHarness h;
        QVERIFY(h.open(QStringLiteral(GWANJE_DATA_DIR)));
        auto *map = h.find<MapView>(QStringLiteral("map"));
        QVERIFY(map);
        QVERIFY(map->width() > 800 && map->height() > 600);
        // Every marker on its own (the city view clusters them: see clustersAtCityZoom), the
        // streetlights (hidden at first) too.
        map->setClustering(false);
        map->setShowStreetlights(true);
        const QImage image = h.grab();
        QVERIFY(!map->isClustered());
        QVERIFY(!image.isNull());
        const MapFrame frame = frameOf(map);
        const AssetRegistry &reg = *h.loadResult().registry;
        const GridIndex &index = reg.spatialIndex();
        const double pixel = 1.0 / map->viewport().scale(); // one screen pixel in world units

        std::vector<QPointF> labels;
        for (const Region &d : reg.districts())
            labels.push_back(frame.toWindow(WebMercator::project(d.labelPoint.x(), d.labelPoint.y())));
        auto nearLabel = [&labels](QPointF p) {
            for (const QPointF &l : labels) {
                if (std::abs(p.x() - l.x()) < 45 && std::abs(p.y() - l.y()) < 14)
                    return true;
            }
            return false;
        };

        // District outlines: midpoints of boundary segments that no marker or label covers.
        int outlineCandidates = 0, outlineHits = 0;
        for (const Region &d : reg.districts()) {
            for (const Ring &ring : d.rings) {
                for (std::size_t i = 0; i + 1 < ring.size(); i += 5) {
                    const QPointF w = (WebMercator::project(ring[i].x(), ring[i].y()) +
                                       WebMercator::project(ring[i + 1].x(), ring[i + 1].y())) /
                                      2.0;
                    const QPointF p = frame.toWindow(w);
                    if (!frame.checked.contains(p) || nearLabel(p) || index.nearest(w, 14 * pixel) >= 0)
                        continue;
                    ++outlineCandidates;
                    outlineHits += anyPixelNear(image, p, 1, MapStyle::districtOutline(), 40);
                }
            }
        }
        QVERIFY2(outlineCandidates >= 40, qPrintable(QString::number(outlineCandidates)));
        QVERIFY2(outlineHits >= outlineCandidates * 9 / 10,
                 qPrintable(QStringLiteral("%1 of %2 outline points drawn").arg(outlineHits).arg(outlineCandidates)));

        // Markers: isolated assets of each kind show their kind's colour at their position.
        for (AssetKind kind : allAssetKinds) {
            int candidates = 0, hits = 0;
            for (std::size_t i = 0; i < reg.assets().size(); ++i) {
                const Asset &a = reg.assets()[i];
                if (a.kind != kind)
                    continue;
                const QPointF p = frame.toWindow(a.world);
                if (!frame.checked.contains(p) || nearLabel(p))
                    continue;
                // Markers are at most 5 px across here, and rarer kinds are drawn on top (sensors
                // over shelters over cameras over WiFi over streetlights): no kind drawn above
                // this one may be within 6 px.
                auto layer = [](AssetKind k) {
                    switch (k) {
                    case AssetKind::Streetlight:
                        return 0;
                    case AssetKind::WifiAp:
                        return 1;
                    case AssetKind::CameraSite:
                        return 2;
                    case AssetKind::Shelter:
                        return 3;
                    case AssetKind::Sensor:
                        break;
                    }
                    return 4;
                };
                bool alone = true;
                index.forEachInRect(GeoRect::fromEdges(a.world.x() - 6 * pixel, a.world.y() - 6 * pixel,
                                                       a.world.x() + 6 * pixel, a.world.y() + 6 * pixel),
                                    [&](int j) {
                                        const AssetKind other = reg.assets()[std::size_t(j)].kind;
                                        alone = alone && (other == kind || layer(other) < layer(kind));
                                    });
                if (!alone)
                    continue;
                ++candidates;
                hits += anyPixelNear(image, p, 0, MapStyle::assetColor(kind), 30);
            }
            QVERIFY2(candidates >= 20, qPrintable(assetKindName(kind) + QStringLiteral(": %1").arg(candidates)));
            QVERIFY2(hits >= candidates * 95 / 100,
                     qPrintable(assetKindName(kind) + QStringLiteral(": %1 of %2 drawn").arg(hits).arg(candidates)));
        }

        // Background: points outside Seoul, away from any outline and marker, stay empty.
        int emptyCandidates = 0, emptyHits = 0;
        for (double y = frame.checked.top(); y < frame.checked.bottom(); y += 23) {
            for (double x = frame.checked.left(); x < frame.checked.right(); x += 23) {
                const QPointF w = map->viewport().screenToWorld(QPointF(x, y) - frame.origin);
                const QPointF lonLat = WebMercator::unproject(w);
                if (reg.districtAt(lonLat.x(), lonLat.y()) >= 0 || index.nearest(w, 12 * pixel) >= 0)
                    continue;
                double nearest = 1e9;
                for (const Region &d : reg.districts()) {
                    for (const Ring &ring : d.rings) {
                        for (std::size_t i = 0; i < ring.size(); ++i) {
                            const QPointF a = frame.toWindow(WebMercator::project(ring[i].x(), ring[i].y()));
                            const QPointF b = frame.toWindow(
                                WebMercator::project(ring[(i + 1) % ring.size()].x(), ring[(i + 1) % ring.size()].y()));
                            nearest = std::min(nearest, distanceToSegment(QPointF(x, y), a, b));
                        }
                    }
                }
                if (nearest < 6)
                    continue;
                ++emptyCandidates;
                emptyHits += test::colorDistance(image.pixelColor(QPoint(int(x), int(y))), MapStyle::background()) <= 6;
            }
        }
        QVERIFY2(emptyCandidates >= 10, qPrintable(QString::number(emptyCandidates)));
        QCOMPARE(emptyHits, emptyCandidates);

        // The side panel shows the registry's counts.
        const auto *tile = h.find<QQuickItem>(QStringLiteral("cameraSitesTile"));
        QVERIFY(tile);
        QCOMPARE(tile->property("value").toInt(), reg.count(AssetKind::CameraSite));
        const auto *banner = h.find<QQuickItem>(QStringLiteral("problemBanner"));
        QVERIFY(banner);
        QVERIFY(!banner->isVisible());
    }

    void clustersAtCityZoom()
    {
        test::WindowHarness h;
        QVERIFY(h.open(QStringLiteral(GWANJE_DATA_DIR)));
        const auto *map = h.find<MapView>(QStringLiteral("map"));
        QVERIFY(map);
        const QImage image = h.grab();
        QVERIFY(map->isClustered());
        const MapFrame frame = frameOf(map);
        const AssetRegistry &reg = *h.loadResult().registry;
        // All of Seoul is in view: the clusters hold every asset exactly once.
        int total = 0, badges = 0, badgeHits = 0, lone = 0, loneHits = 0;
        for (const MapCluster &c : map->clusters()) {
            total += c.count;
            const QPointF p = frame.toWindow(c.world);
            if (!frame.checked.contains(p))
                continue;
            bool nearLabel = false;
            for (const Region &d : reg.districts()) {
                const QPointF l = frame.toWindow(WebMercator::project(d.labelPoint.x(), d.labelPoint.y()));
                nearLabel = nearLabel || (std::abs(l.x() - p.x()) < 50 && std::abs(l.y() - p.y()) < 16);
            }
            if (nearLabel)
                continue;
            if (c.count > 1) {
                // The badge is a disc of the cluster colour (nothing else on the map has it)
                // around its number: between the digits, near the centre.
                ++badges;
                badgeHits += anyPixelNear(image, p, 5, MapStyle::cluster(), 12);
            } else {
                ++lone;
                const AssetKind kind = reg.assets()[map->markers().ref(c.first)].kind;
                loneHits += anyPixelNear(image, p, 0, MapStyle::assetColor(kind), 30);
            }
        }
        // (Streetlights start hidden.)
        const int shown = int(reg.assets().size()) - reg.count(AssetKind::Streetlight);
        QCOMPARE(total, shown);
        QVERIFY2(badges >= 40, qPrintable(QString::number(badges)));
        QVERIFY2(badgeHits >= badges * 95 / 100, qPrintable(QStringLiteral("%1 of %2").arg(badgeHits).arg(badges)));
        QVERIFY2(loneHits >= lone * 9 / 10, qPrintable(QStringLiteral("%1 of %2").arg(loneHits).arg(lone)));
        // Hiding a kind takes its markers out of the clusters.
        auto *writable = h.find<MapView>(QStringLiteral("map"));
        writable->setShowWifi(false);
        h.grab();
        int withoutWifi = 0;
        for (const MapCluster &c : map->clusters())
            withoutWifi += c.count;
        QCOMPARE(withoutWifi, shown - reg.count(AssetKind::WifiAp));
    }

    void devicesAreDrawnAndSosStandsOut()
    {
        test::WindowHarness h;
        QVERIFY(h.open(QStringLiteral(GWANJE_DATA_DIR)));
        auto *map = h.find<MapView>(QStringLiteral("map"));
        QVERIFY(map);
        map->setClustering(false);
        const MapFrame frame = frameOf(map);
        const AssetRegistry &reg = *h.loadResult().registry;
        const double pixel = 1.0 / map->viewport().scale();
        // Wearers where nothing else is drawn: inside Seoul, no asset within 14 px, off the labels.
        std::vector<DevicePoint> points;
        for (double y = frame.checked.top() + 10; y < frame.checked.bottom() && points.size() < 20; y += 19) {
            for (double x = frame.checked.left() + 10; x < frame.checked.right() && points.size() < 20; x += 23) {
                const QPointF w = map->viewport().screenToWorld(QPointF(x, y) - frame.origin);
                const QPointF lonLat = WebMercator::unproject(w);
                if (reg.districtAt(lonLat.x(), lonLat.y()) < 0 || reg.spatialIndex().nearest(w, 14 * pixel) >= 0)
                    continue;
                bool nearLabel = false;
                for (const Region &d : reg.districts()) {
                    const QPointF l = frame.toWindow(WebMercator::project(d.labelPoint.x(), d.labelPoint.y()));
                    nearLabel = nearLabel || (std::abs(l.x() - x) < 50 && std::abs(l.y() - y) < 16);
                }
                if (!nearLabel)
                    points.push_back({quint32(points.size()), lonLat.y(), lonLat.x(), points.size() == 2});
            }
        }
        QVERIFY2(points.size() == 20, qPrintable(QString::number(points.size())));
        // The SOS wearer's stored track runs from the first empty spot to it.
        const DevicePoint from = points[0], to = points[2];
        std::vector<QPointF> track;
        for (int i = 0; i <= 10; ++i)
            track.emplace_back(from.longitude + (to.longitude - from.longitude) * i / 10.0,
                               from.latitude + (to.latitude - from.latitude) * i / 10.0);
        std::atomic<quint32> askedFor{999}; // asked on a worker thread
        h.devices()->setTrackProvider([&askedFor, track](quint32 source, qint64, qint64) {
            askedFor = source;
            return track;
        });
        h.devices()->setProvider([points](std::vector<DevicePoint> &out) { out = points; }, 1000);
        QTRY_COMPARE(int(h.devices()->sosTracks().size()), 1);
        QCOMPARE(askedFor.load(), points[2].source);
        QCOMPARE(h.devices()->count(), 20);
        QCOMPARE(h.devices()->sosCount(), 1);
        const QImage image = h.grab();
        int drawn = 0;
        QStringList missed;
        const QPointF sosAt = frame.toWindow(WebMercator::project(points[2].longitude, points[2].latitude));
        for (const DevicePoint &p : points) {
            const QPointF at = frame.toWindow(WebMercator::project(p.longitude, p.latitude));
            // The SOS marker's pulsing ring (up to 26 px out, 2.5 px wide, fading) may tint a
            // neighbour: the wearer's colour blended with the SOS red.
            const QPointF off = at - sosAt;
            const bool inRing = !p.sos && std::hypot(off.x(), off.y()) <= 30.0;
            bool tinted = false;
            for (int step = 0; inRing && step <= 20 && !tinted; ++step) {
                const double t = step / 20.0;
                const QColor d = MapStyle::device(), r = MapStyle::sos();
                const QColor blend(int(d.red() + t * (r.red() - d.red())), int(d.green() + t * (r.green() - d.green())),
                                   int(d.blue() + t * (r.blue() - d.blue())));
                tinted = anyPixelNear(image, at, 0, blend, 20);
            }
            const bool hit = tinted || anyPixelNear(image, at, 0, p.sos ? MapStyle::sos() : MapStyle::device(), 30);
            drawn += hit;
            if (!hit)
                missed.append(QStringLiteral("%1%2 at %3,%4 is %5")
                                  .arg(p.sos ? QStringLiteral("SOS ") : QString())
                                  .arg(p.source)
                                  .arg(at.x())
                                  .arg(at.y())
                                  .arg(image.pixelColor(at.toPoint()).name()));
        }
        QVERIFY2(drawn == 20, qPrintable(missed.join(QStringLiteral("; "))));
        // Where no wearer marker covers it, the track is drawn in the SOS colour.
        int samples = 0, onTrack = 0;
        for (int i = 1; i < 10; ++i) {
            const QPointF at =
                frame.toWindow(WebMercator::project(track[std::size_t(i)].x(), track[std::size_t(i)].y()));
            bool covered = false;
            for (const DevicePoint &p : points) {
                const QPointF d = frame.toWindow(WebMercator::project(p.longitude, p.latitude)) - at;
                covered = covered || std::hypot(d.x(), d.y()) < 10;
            }
            for (const Region &d : reg.districts()) { // labels are drawn above everything
                const QPointF l = frame.toWindow(WebMercator::project(d.labelPoint.x(), d.labelPoint.y()));
                covered = covered || (std::abs(l.x() - at.x()) < 50 && std::abs(l.y() - at.y()) < 16);
            }
            if (covered)
                continue;
            ++samples;
            onTrack += anyPixelNear(image, at, 1, MapStyle::sos(), 30);
        }
        QVERIFY(samples >= 3);
        QCOMPARE(onTrack, samples);
        const auto *tile = h.find<QQuickItem>(QStringLiteral("devicesTile"));
        QVERIFY(tile);
        QCOMPARE(tile->property("value").toInt(), 20);
    }

    void roadsAndTheSelectedMarker()
    {
        test::WindowHarness h;
        QVERIFY(h.open(QStringLiteral(GWANJE_DATA_DIR)));
        auto *map = h.find<MapView>(QStringLiteral("map"));
        QVERIFY(map);
        showOnly(map, {MarkerKind::Camera});
        map->setClustering(false);
        map->setZoom(15.0);
        map->setCenter(QGeoCoordinate(37.5245, 126.9255)); // Yeouido
        // The major roads of the shipped OpenStreetMap extract, read here through GDAL.
        const MapConfig config = MapConfig::load(QStringLiteral(GWANJE_DATA_DIR "/map/layers.json"));
        const auto spec = std::find_if(config.layers.begin(), config.layers.end(), [](const MapLayerSpec &l) {
            return l.id == QStringLiteral("roads-major-yeouido");
        });
        QVERIFY(spec != config.layers.end());
        QString error;
        const auto roads = VectorLayerData::load(*spec, &error);
        QVERIFY2(roads, qPrintable(error));
        // A camera in view to select.
        const MarkerLayer &markers = map->markers();
        int camera = -1;
        for (int i = 0; i < markers.size() && camera < 0; ++i) {
            const QPointF at = map->viewport().worldToScreen(markers.world(i));
            if (markers.kind(i) == MarkerKind::Camera && at.x() > 300 && at.y() > 250 && at.x() < map->width() - 300 &&
                at.y() < map->height() - 200)
                camera = i;
        }
        QVERIFY(camera >= 0);
        map->select(camera);
        const QImage image = h.grab();
        const MapFrame frame = frameOf(map);
        auto nearMarker = [&](QPointF p) {
            for (int i = 0; i < markers.size(); ++i) {
                if (markers.kind(i) != MarkerKind::Camera)
                    continue;
                const QPointF d = frame.toWindow(markers.world(i)) - p;
                if (std::hypot(d.x(), d.y()) < 26) // the selection ring included
                    return true;
            }
            return false;
        };
        int samples = 0, hits = 0;
        for (const VectorFeature &f : roads->features()) {
            for (const auto &part : f.parts) {
                for (std::size_t k = 1; k < part.size(); ++k) {
                    const QPointF a = frame.toWindow(part[k - 1]), b = frame.toWindow(part[k]);
                    const QPointF mid = (a + b) / 2.0;
                    if (std::hypot(b.x() - a.x(), b.y() - a.y()) < 8 || !frame.checked.contains(mid) || nearMarker(mid))
                        continue;
                    ++samples;
                    hits += anyPixelNear(image, mid, 1, QColor::fromRgba(spec->line), 40);
                }
            }
        }
        QVERIFY2(samples >= 30, qPrintable(QString::number(samples)));
        QVERIFY2(hits >= samples * 8 / 10, qPrintable(QStringLiteral("%1 of %2 road points").arg(hits).arg(samples)));
        // The selected camera: its marker, ringed in white.
        const QPointF at = frame.toWindow(markers.world(camera));
        QVERIFY(anyPixelNear(image, at, 1, MapStyle::assetColor(AssetKind::CameraSite), 30));
        const double r = std::max(8.0, MapStyle::markerSize(map->zoom()) + 5.0);
        int ring = 0;
        for (int k = 0; k < 8; ++k) {
            const double angle = k * std::numbers::pi / 4;
            ring += anyPixelNear(image, at + QPointF(r * std::cos(angle), r * std::sin(angle)), 1,
                                 MapStyle::selection(), 40);
        }
        QVERIFY2(ring >= 7, qPrintable(QString::number(ring)));
        QCOMPARE(map->selection().kind, QStringLiteral("camera_site"));
    }

    void camerasShowWhereTheyLook()
    {
        test::WindowHarness h;
        QVERIFY(h.open(QStringLiteral(GWANJE_DATA_DIR)));
        auto *map = h.find<MapView>(QStringLiteral("map"));
        QVERIFY(map);
        // A camera whose text gives exactly one compass heading, and a 360° one.
        const AssetRegistry &reg = *h.loadResult().registry;
        int directed = -1, panoramic = -1;
        // Is a point (lon/lat) inside the cone or circle of a camera other than `self`? Computed
        // from the parsed views, so the samples below are only where one camera can tint.
        const double metresPerDegreeLat = 111'320.0;
        auto coveredByOthers = [&](std::size_t self, double lon, double lat) {
            const double mPerLon = metresPerDegreeLat * std::cos(lat * std::numbers::pi / 180);
            for (std::size_t j = 0; j < reg.assets().size(); ++j) {
                const CameraView *v = h.assets()->cameraView(j);
                if (j == self || !v)
                    continue;
                const double dx = (lon - reg.assets()[j].longitude) * mPerLon;
                const double dy = (lat - reg.assets()[j].latitude) * metresPerDegreeLat;
                const double d = std::hypot(dx, dy);
                if (v->kind == CameraView::Kind::Panoramic && d <= MapStyle::panoramicRangeMetres + 3)
                    return true;
                if (v->headingKnown() && d <= MapStyle::coneRangeMetres + 3)
                    return true; // any direction: close enough to be unsure
            }
            return false;
        };
        auto offset = [&](const Asset &a, double degrees, double metres) {
            const double rad = degrees * std::numbers::pi / 180.0;
            const double mPerLon = metresPerDegreeLat * std::cos(a.latitude * std::numbers::pi / 180);
            return QPointF(a.longitude + std::sin(rad) * metres / mPerLon,
                           a.latitude + std::cos(rad) * metres / metresPerDegreeLat);
        };
        // For each camera: a direction it looks (east or west-ish for a cone, so a mirrored cone
        // could not pass) and one it does not (away from all its cones, or the same for 360°).
        auto angleBetween = [](double a, double b) {
            return std::abs(std::remainder(a - b, 360.0));
        };
        double lookDirected = 0, awayDirected = 0;
        for (std::size_t i = 0; i < reg.assets().size() && (directed < 0 || panoramic < 0); ++i) {
            const CameraView *v = h.assets()->cameraView(i);
            if (!v)
                continue;
            const Asset &a = reg.assets()[i];
            const bool isPanoramic = v->kind == CameraView::Kind::Panoramic;
            if ((isPanoramic && panoramic >= 0) || (!isPanoramic && (directed >= 0 || !v->headingKnown())))
                continue;
            double look = 45.0, away = 225.0;
            if (!isPanoramic) {
                const double fov =
                    v->fieldOfViewDegrees > 0 ? v->fieldOfViewDegrees : CameraView::defaultFieldOfViewDegrees;
                const auto eastWest = std::find_if(v->headingsDegrees.begin(), v->headingsDegrees.end(), [](float hd) {
                    return std::abs(std::sin(hd * std::numbers::pi / 180)) >= 0.7;
                });
                if (eastWest == v->headingsDegrees.end())
                    continue;
                look = *eastWest;
                away = -1;
                for (double candidate = 0; candidate < 360 && away < 0; candidate += 15) {
                    bool outside = true;
                    for (const float hd : v->headingsDegrees)
                        outside = outside && angleBetween(candidate, hd) >= fov / 2 + 25;
                    if (outside)
                        away = candidate;
                }
                if (away < 0)
                    continue;
            }
            const double range = isPanoramic ? MapStyle::panoramicRangeMetres : MapStyle::coneRangeMetres;
            bool clear = true;
            for (const double direction : {look, away}) {
                for (const double share : {0.6, 1.4}) {
                    const QPointF p = offset(a, direction, range * share);
                    clear = clear && !coveredByOthers(i, p.x(), p.y());
                }
            }
            if (!clear)
                continue;
            if (isPanoramic) {
                panoramic = int(i);
            } else {
                directed = int(i);
                lookDirected = look;
                awayDirected = away;
            }
        }
        QVERIFY(directed >= 0 && panoramic >= 0);
        QVERIFY(h.assets()->camerasWithHeading() > 0);
        QVERIFY(h.assets()->cameraViewsUnread() > 0);
        showOnly(map, {MarkerKind::Camera});
        for (const int asset : {directed, panoramic}) {
            const Asset &a = reg.assets()[std::size_t(asset)];
            map->setZoom(18.0);
            map->setCenter(QGeoCoordinate(a.latitude, a.longitude));
            map->setShowCameras(true);
            const QImage with = h.grab();
            map->setShowCameras(false);
            const QImage without = h.grab();
            const QPointF at = map->mapToScene(map->coordinateToPoint(QGeoCoordinate(a.latitude, a.longitude)));
            const CameraView &view = *h.assets()->cameraView(std::size_t(asset));
            // Where the camera looks the map is tinted amber; behind it (or, for a 360° camera,
            // beyond its range) it is not.
            const double range = (view.kind == CameraView::Kind::Panoramic ? MapStyle::panoramicRangeMetres
                                                                           : MapStyle::coneRangeMetres) /
                                 map->metresPerPixel();
            const double heading = view.kind == CameraView::Kind::Panoramic ? 45.0 : lookDirected;
            auto pointAt = [&](double degrees, double distance) {
                const double rad = degrees * std::numbers::pi / 180.0;
                return QPoint(int(at.x() + std::sin(rad) * distance), int(at.y() - std::cos(rad) * distance));
            };
            auto tinted = [&](QPoint p) {
                const QColor a1 = with.pixelColor(p), b1 = without.pixelColor(p);
                return a1.red() - b1.red() >= 8 && a1.red() - b1.red() > a1.blue() - b1.blue();
            };
            QVERIFY2(tinted(pointAt(heading, range * 0.6)), qPrintable(a.direction));
            if (view.kind == CameraView::Kind::Panoramic) {
                QVERIFY(tinted(pointAt(heading + 180.0, range * 0.6)));
                QVERIFY(!tinted(pointAt(heading, range * 1.4)));
            } else {
                QVERIFY2(!tinted(pointAt(awayDirected, range * 0.6)), qPrintable(a.direction));
            }
        }
    }

    void heatMapOfTheLastHour()
    {
        test::WindowHarness h;
        QVERIFY(h.open(QStringLiteral(GWANJE_DATA_DIR)));
        auto *map = h.find<MapView>(QStringLiteral("map"));
        QVERIFY(map);
        showOnly(map, {MarkerKind::Device});
        // Thirty events around one spot in the last hour; the provider is asked for that hour.
        const double lon = 126.95, lat = 37.53;
        qint64 askedFrom = 0, askedTo = 0;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        h.devices()->setHeatProvider([&](qint64 from, qint64 to) {
            askedFrom = from;
            askedTo = to;
            std::vector<DevicesFacade::HeatPoint> heat;
            for (int i = 0; i < 30; ++i)
                heat.push_back({lon + (i % 5) * 0.0004, lat + (i / 5) * 0.0004, 1.0f});
            return heat;
        });
        h.devices()->setProvider([now](std::vector<DevicePoint> &out) { out = {{7, 37.6, 127.05, false, now}}; }, 100);
        const QImage before = h.grab();
        QSignalSpy updated(h.devices(), &DevicesFacade::heatUpdated);
        auto *chip = h.find<QQuickItem>(QStringLiteral("heatmapChip"));
        QVERIFY(chip);
        QTest::mouseClick(h.window(), Qt::LeftButton, {},
                          chip->mapToScene(QPointF(chip->width() / 2, chip->height() / 2)).toPoint());
        QVERIFY(map->showHeatmap());
        QVERIFY(!updated.isEmpty() || updated.wait(5000));
        QCOMPARE(askedTo, now);
        QCOMPARE(askedTo - askedFrom, DevicesFacade::heatWindowMinutes * 60'000);
        const QImage after = h.grab();
        const QPoint hot =
            map->mapToScene(map->coordinateToPoint(QGeoCoordinate(lat + 0.0008, lon + 0.0008))).toPoint();
        const QPoint cold = map->mapToScene(map->coordinateToPoint(QGeoCoordinate(lat + 0.03, lon + 0.03))).toPoint();
        // Where the events gathered the map turns warm; away from them nothing changes.
        const QColor hotAfter = after.pixelColor(hot);
        QVERIFY2(hotAfter.red() - before.pixelColor(hot).red() > 60,
                 qPrintable(QStringLiteral("%1 -> %2").arg(before.pixelColor(hot).name(), hotAfter.name())));
        QVERIFY(test::colorDistance(after.pixelColor(cold), before.pixelColor(cold)) <= 2);
        map->setShowHeatmap(false);
        QVERIFY(test::colorDistance(h.grab().pixelColor(hot), before.pixelColor(hot)) <= 2);
    }

    void sensorsAndApsShowTheirLiveState()
    {
        test::WindowHarness h;
        QVERIFY(h.open(QStringLiteral(GWANJE_DATA_DIR)));
        auto *map = h.find<MapView>(QStringLiteral("map"));
        QVERIFY(map);
        map->setClustering(false);
        const AssetRegistry &reg = *h.loadResult().registry;
        const MapFrame frame = frameOf(map);
        // Sensors and APs standing alone (nothing else within 8 px) in the checked area.
        const int bad = loneAsset(reg, frame, AssetKind::Sensor, 0),
                  veryBad = loneAsset(reg, frame, AssetKind::Sensor, 1),
                  down = loneAsset(reg, frame, AssetKind::WifiAp, 0);
        QVERIFY(bad >= 0 && veryBad >= 0 && down >= 0);
        auto status = [&](int asset) {
            AssetStatusPoint p;
            p.source = quint32(asset);
            p.id = reg.assets()[std::size_t(asset)].id;
            return p;
        };
        AssetStatusPoint s1 = status(bad), s2 = status(veryBad), s3 = status(down);
        s1.pm10 = 120; // 나쁨
        s1.grade = pm10Grade(s1.pm10);
        s2.pm25 = 90; // 매우나쁨
        s2.grade = pm25Grade(s2.pm25);
        s3.apUp = 0;
        quint64 asked = 99;
        h.devices()->setStatusProvider([&](quint64 since, std::vector<AssetStatusPoint> &out) {
            asked = since;
            out = {s1, s2, s3};
            return quint64(1);
        });
        h.devices()->setProvider([](std::vector<DevicePoint> &out) { out.clear(); }, 100000);
        QCOMPARE(asked, quint64(0));
        const QImage image = h.grab();
        auto colourAt = [&](int asset) {
            return frame.toWindow(reg.assets()[std::size_t(asset)].world);
        };
        QVERIFY(anyPixelNear(image, colourAt(bad), 0, MapStyle::warning(), 30));
        QVERIFY(anyPixelNear(image, colourAt(veryBad), 0, MapStyle::sos(), 30));
        QVERIFY(anyPixelNear(image, colourAt(down), 0, MapStyle::offline(), 30));
        // The detail card says why.
        map->select(veryBad);
        QCOMPARE(map->selection().grade, QStringLiteral("Very bad"));
        QVERIFY(map->selection().pm25.startsWith(QStringLiteral("90")));
        map->select(down);
        QCOMPARE(map->selection().state, QStringLiteral("Offline"));
    }

    void selectedWearerShowsSafeZonesAndOfflineDevicesGreyOut()
    {
        test::WindowHarness h;
        QVERIFY(h.open(QStringLiteral(GWANJE_DATA_DIR)));
        auto *map = h.find<MapView>(QStringLiteral("map"));
        QVERIFY(map);
        showOnly(map, {MarkerKind::Device});
        map->setClustering(false);
        map->setZoom(14);
        map->setCenter(QGeoCoordinate(37.55, 126.99));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const std::vector<DevicePoint> points{{0, 37.55, 126.99, false, now}, {1, 37.545, 127.01, false, now}};
        // Wearer 0's zone: a square about 1.1 km across around it.
        const std::vector<QPointF> square{{126.983, 37.545}, {126.997, 37.545}, {126.997, 37.555}, {126.983, 37.555}};
        quint32 zonesOf = 99;
        h.devices()->setZoneProvider([&](quint32 source) {
            zonesOf = source;
            return std::vector<std::vector<QPointF>>{square};
        });
        h.devices()->setStatusProvider([](quint64 since, std::vector<AssetStatusPoint> &out) {
            if (since == 0) {
                AssetStatusPoint p;
                p.source = 1;
                p.id = QStringLiteral("SD-000002");
                p.offline = true;
                out.push_back(p);
            }
            return quint64(1);
        });
        h.devices()->setProvider([points](std::vector<DevicePoint> &out) { out = points; }, 100000);
        const MapFrame frame = frameOf(map);
        const auto &markers = map->markers();
        int wearer = -1, offline = -1;
        for (int i = 0; i < markers.size(); ++i) {
            if (markers.kind(i) == MarkerKind::Device)
                (markers.ref(i) == 0 ? wearer : offline) = i;
        }
        QVERIFY(wearer >= 0 && offline >= 0);
        QCOMPARE(markers.state(offline), MarkerState::Offline);
        map->select(wearer);
        QCOMPARE(zonesOf, 0u);
        QCOMPARE(map->selection().zones, 1);
        QVERIFY2(cardRows(h).contains(QStringLiteral("Safe zones: 1")), qPrintable(cardRows(h).join(u'|')));
        const QImage image = h.grab();
        // The zone's edges, sampled between its corners, away from the wearer's marker.
        int samples = 0, hits = 0;
        for (std::size_t k = 0; k < square.size(); ++k) {
            const QPointF a = square[k], b = square[(k + 1) % square.size()];
            for (double t = 0.2; t < 0.85; t += 0.15) {
                const QPointF lonLat = a + (b - a) * t;
                const QPointF at = frame.toWindow(WebMercator::project(lonLat.x(), lonLat.y()));
                ++samples;
                hits += anyPixelNear(image, at, 2, MapStyle::safeZone(), 40);
            }
        }
        // A dashed line: most samples fall on a dash.
        QVERIFY2(hits >= samples * 6 / 10, qPrintable(QStringLiteral("%1 of %2").arg(hits).arg(samples)));
        QVERIFY(anyPixelNear(image, frame.toWindow(markers.world(offline)), 0, MapStyle::offline(), 30));
        // Selecting something else takes the zones away.
        map->clearSelection();
        const QImage after = h.grab();
        const QPointF edge = frame.toWindow(WebMercator::project(126.99, 37.545));
        QVERIFY(!anyPixelNear(after, edge, 2, MapStyle::safeZone(), 40));
    }

    // An SOS reaches the alarm panel, a click selects it (the map flies to the wearer and selects
    // its device), Space acknowledges it through the command API, and the frame shows the panel.
    void sosAlarmInThePanelAcknowledgedByKeyboard()
    {
        test::WindowHarness h;
        QVERIFY(h.open(QStringLiteral(GWANJE_DATA_DIR)));
        auto *map = h.find<MapView>(QStringLiteral("map"));
        QVERIFY(map);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        // The wearer in SOS, as the engine's device state and its source directory give it.
        h.devices()->setSourceLookup([](const QString &id) { return id == QLatin1String("SD-000007") ? 7 : -1; });
        h.devices()->setProvider(
            [now](std::vector<DevicePoint> &out) {
                out = {{7, 37.6176, 126.9227, true, now}};
            },
            100000);
        // The engine's alarm side: two open alarms, commands through the real lifecycle rules.
        std::vector<Alarm> alarms(2);
        alarms[0].id = 11;
        alarms[0].type = QStringLiteral("camera_offline");
        alarms[0].priority = 3;
        alarms[0].source = QStringLiteral("camera#1");
        alarms[0].district = QStringLiteral("은평구");
        alarms[0].desks = {QStringLiteral("ops")};
        alarms[0].raisedAtMs = now - 600'000;
        alarms[1].id = 12;
        alarms[1].type = QStringLiteral("sos");
        alarms[1].priority = 1;
        alarms[1].source = QStringLiteral("SD-000007");
        alarms[1].district = QStringLiteral("은평구");
        alarms[1].desks = {QStringLiteral("ops"), QStringLiteral("police-112")};
        alarms[1].raisedAtMs = now - 20'000;
        alarms[1].latitude = 37.6176;
        alarms[1].longitude = 126.9227;
        quint64 version = 1;
        std::vector<AlarmCommand> commands;
        AlarmsFacade *facade = h.alarms();
        facade->setOperatorName(QStringLiteral("test-operator"));
        facade->setCommandExecutor([&](const AlarmCommand &c) {
            commands.push_back(c);
            for (Alarm &a : alarms) {
                if (a.id != c.alarmId)
                    continue;
                AlarmCommand stamped = c;
                stamped.atMs = QDateTime::currentMSecsSinceEpoch();
                auto next = applyAlarmCommand(a, stamped);
                if (const auto *refused = std::get_if<AlarmRefused>(&next))
                    return AlarmCommandResult::refused(refused->reason, refused->detail, a);
                a = std::get<Alarm>(next);
                ++version;
                return AlarmCommandResult::done(a);
            }
            return AlarmCommandResult::refused(AlarmRefusal::NoSuchAlarm, QString::number(c.alarmId), Alarm());
        });
        facade->setSnapshotProvider([&] { return AlarmSnapshot{version, alarms, {}}; }, [&] { return version; });

        auto *list = h.findItem(QStringLiteral("alarmList"));
        QVERIFY(list);
        QTRY_COMPARE(list->property("count").toInt(), 2);
        QVERIFY(facade->urgent());
        QVERIFY(h.findItem(QStringLiteral("alarmPanel"))->isVisible());
        QQuickItem *row = nullptr;
        QTRY_VERIFY((row = h.findItem(QStringLiteral("alarmRow_12"))));     // delegates come with the next polish
        QVERIFY(row->y() < h.findItem(QStringLiteral("alarmRow_11"))->y()); // the SOS on top

        const QPointF click = row->mapToScene(QPointF(row->width() / 2, row->height() / 2));
        QTest::mouseClick(h.window(), Qt::LeftButton, {}, click.toPoint());
        QCOMPARE(facade->selectedId(), 12);
        QCOMPARE(map->selection().kind, QStringLiteral("device"));
        QVERIFY(map->selection().alarm);
        QTRY_VERIFY(std::abs(map->center().latitude() - 37.6176) < 1e-4 &&
                    std::abs(map->center().longitude() - 126.9227) < 1e-4);
        QCOMPARE(h.findItem(QStringLiteral("alarmDetailTitle"))->property("text").toString(),
                 QStringLiteral("SOS emergency call"));

        QTest::keyClick(h.window(), Qt::Key_Space);
        QCOMPARE(int(commands.size()), 1);
        QCOMPARE(commands[0].action, AlarmAction::Acknowledge);
        QCOMPARE(commands[0].alarmId, 12);
        QCOMPARE(commands[0].actor, QStringLiteral("test-operator"));
        QCOMPARE(commands[0].desk, QStringLiteral("ops"));
        QCOMPARE(alarms[1].state, AlarmState::Acknowledged);
        QVERIFY(!facade->urgent());
        QTRY_COMPARE(h.findItem(QStringLiteral("alarmDetailState"))->property("text").toString(),
                     QStringLiteral("Acknowledged"));
        // Space again: refused, and the panel says why.
        QTest::keyClick(h.window(), Qt::Key_Space);
        QCOMPARE(facade->lastError(), QStringLiteral("the alarm is already acknowledged"));
        QTRY_VERIFY(h.findItem(QStringLiteral("alarmError"))->isVisible());

        // The frame: the SOS row's priority bar in the priority-1 red, beside the map. It pulsed
        // while unacknowledged and settles at full colour once the pulse in progress ends.
        row = h.findItem(QStringLiteral("alarmRow_12"));
        const QPointF bar = row->mapToScene(QPointF(3, row->height() / 2));
        QVERIFY(bar.x() > map->mapToScene(QPointF(map->width(), 0)).x());
        QImage image;
        QTRY_VERIFY2((image = h.grab(), test::colorDistance(image.pixelColor(bar.toPoint()), Qt::red) <= 0x2d),
                     qPrintable(image.pixelColor(bar.toPoint()).name()));
        image.save(QDir::temp().filePath(QStringLiteral("gwanje-alarm-panel.png")));
    }

    void groupedOutagesAreRinged()
    {
        test::WindowHarness h;
        QVERIFY(h.open(QStringLiteral(GWANJE_DATA_DIR)));
        auto *map = h.find<MapView>(QStringLiteral("map"));
        QVERIFY(map);
        map->setClustering(false);
        map->setZoom(15);
        const AssetRegistry &reg = *h.loadResult().registry;
        // The APs of one 400 m cell go down together (a cut fibre).
        std::unordered_map<quint64, std::vector<int>> cells;
        for (std::size_t i = 0; i < reg.assets().size(); ++i) {
            const Asset &a = reg.assets()[i];
            if (a.kind == AssetKind::WifiAp)
                cells[MarkerLayer::keyOfCell(qint64(a.world.x() / MapStyle::outageCellWorld),
                                             qint64(a.world.y() / MapStyle::outageCellWorld))]
                    .push_back(int(i));
        }
        const std::vector<int> *group = nullptr;
        for (const auto &entry : cells) {
            if (entry.second.size() >= 8 && entry.second.size() <= 20 &&
                (!group || entry.second.size() > group->size()))
                group = &entry.second;
        }
        QVERIFY(group);
        std::vector<AssetStatusPoint> down;
        for (const int i : *group) {
            AssetStatusPoint p;
            p.id = reg.assets()[std::size_t(i)].id;
            p.apUp = 0;
            down.push_back(p);
        }
        h.devices()->setStatusProvider([down](quint64 since, std::vector<AssetStatusPoint> &out) {
            if (since == 0)
                out = down;
            return quint64(1);
        });
        h.devices()->setProvider([](std::vector<DevicePoint> &out) { out.clear(); }, 100000);
        // Centre on the group; the ring goes round its members, beyond the farthest.
        QPointF centre;
        for (const int i : *group)
            centre += reg.assets()[std::size_t(i)].world;
        centre /= double(group->size());
        const QPointF lonLat = WebMercator::unproject(centre);
        map->setCenter(QGeoCoordinate(lonLat.y(), lonLat.x()));
        const QImage with = h.grab();
        double radius = 0.0;
        const QPointF c = map->viewport().worldToScreen(centre);
        for (const int i : *group) {
            const QPointF d = map->viewport().worldToScreen(reg.assets()[std::size_t(i)].world) - c;
            radius = std::max(radius, std::hypot(d.x(), d.y()));
        }
        radius += 12.0;
        int ring = 0;
        for (int k = 0; k < 16; ++k) {
            const double a = k * std::numbers::pi / 8;
            const QPointF at = map->mapToScene(c + QPointF(radius * std::cos(a), radius * std::sin(a)));
            ring += anyPixelNear(with, at, 2, MapStyle::outage(), 50);
        }
        QVERIFY2(ring >= 8, qPrintable(QString::number(ring))); // a dashed ring
        // Back up: the ring goes.
        h.devices()->setStatusProvider([down](quint64 since, std::vector<AssetStatusPoint> &out) {
            if (since == 1) {
                out = down;
                for (AssetStatusPoint &p : out)
                    p.apUp = 1;
            }
            return quint64(2);
        });
        h.devices()->refresh();
        const QImage without = h.grab();
        ring = 0;
        for (int k = 0; k < 16; ++k) {
            const double a = k * std::numbers::pi / 8;
            const QPointF at = map->mapToScene(c + QPointF(radius * std::cos(a), radius * std::sin(a)));
            ring += anyPixelNear(without, at, 2, MapStyle::outage(), 50);
        }
        QCOMPARE(ring, 0);
    }

    void historyFailureIsShownToTheOperator()
    {
        test::WindowHarness h;
        QVERIFY(h.open(QStringLiteral(GWANJE_DATA_DIR)));
        const auto *banner = h.find<QQuickItem>(QStringLiteral("problemBanner"));
        const auto *status = h.find<QQuickItem>(QStringLiteral("historyStatus"));
        QVERIFY(banner && status);
        HistoryFacade::Snapshot snapshot;
        snapshot.configured = true;
        snapshot.status.open = true;
        snapshot.status.healthy = true;
        snapshot.counters.positionsStored = 1200;
        snapshot.counters.eventsStored = 34;
        h.history()->setProvider([&snapshot] { return snapshot; }, 100000);
        QVERIFY(!banner->isVisible());
        QCOMPARE(status->property("text").toString(), QStringLiteral("History: 1,234 records saved"));

        snapshot.status.healthy = false;
        snapshot.status.code = ErrorCode::DiskFull;
        snapshot.status.category = ErrorCategory::Transient;
        snapshot.counters.pending = 5678;
        h.history()->refresh();
        QVERIFY(banner->isVisible());
        const auto *problem = h.find<QQuickItem>(QStringLiteral("historyProblem"));
        QVERIFY(problem && problem->isVisible());
        QVERIFY2(problem->property("text").toString().contains(QStringLiteral("disk is full")) &&
                     problem->property("text").toString().contains(QStringLiteral("5678")),
                 qPrintable(problem->property("text").toString()));
        QCOMPARE(status->property("text").toString(), QStringLiteral("History: not saving"));
        // The banner is on screen in its warning colour.
        const QImage image = h.grab();
        const QPointF inside = banner->mapToScene(QPointF(banner->width() - 20, banner->height() / 2));
        QVERIFY(test::colorDistance(image.pixelColor(inside.toPoint()), QColor(0x3d, 0x2a, 0x05)) <= 8);
    }

    void streetlightsAndSheltersShowTheirState()
    {
        test::WindowHarness h;
        QVERIFY(h.open(QStringLiteral(GWANJE_DATA_DIR)));
        auto *map = h.find<MapView>(QStringLiteral("map"));
        QVERIFY(map);
        map->setClustering(false);
        // Streetlights start hidden (thousands along every street); the chip shows them.
        QVERIFY(!map->showStreetlights());
        QVERIFY(map->showShelters());
        // The chips follow the map's layers by kind, and set them.
        auto *lights = h.find<QQuickItem>(QStringLiteral("streetlightsChip"));
        auto *shelters = h.find<QQuickItem>(QStringLiteral("sheltersChip"));
        QVERIFY(lights && shelters);
        QVERIFY(!lights->property("checked").toBool());
        QVERIFY(shelters->property("checked").toBool());
        map->setLayerVisible(MarkerKind::Shelter, false);
        QVERIFY(!shelters->property("checked").toBool());
        map->setLayerVisible(MarkerKind::Shelter, true);
        QTest::mouseClick(h.window(), Qt::LeftButton, {},
                          lights->mapToScene(QPointF(lights->width() / 2, lights->height() / 2)).toPoint());
        QVERIFY(map->layerVisible(MarkerKind::Streetlight));
        QVERIFY(map->layerVisible(int(MarkerKind::Shelter)));
        QVERIFY(!map->layerVisible(markerKindCount));
        showOnly(map, {MarkerKind::Streetlight, MarkerKind::Shelter});
        const AssetRegistry &reg = *h.loadResult().registry;
        // Close enough to tell the columns apart, around a shelter with a lone column in view.
        map->setZoom(16.5);
        int column = -1, shelter = -1;
        for (std::size_t i = 0; i < reg.assets().size() && (column < 0 || shelter < 0); ++i) {
            const Asset &a = reg.assets()[i];
            if (a.kind != AssetKind::Shelter)
                continue;
            map->setCenter(QGeoCoordinate(a.latitude, a.longitude));
            const MapFrame around = frameOf(map);
            column = loneAsset(reg, around, AssetKind::Streetlight);
            shelter = loneAsset(reg, around, AssetKind::Shelter);
        }
        QVERIFY(column >= 0 && shelter >= 0);
        const MapFrame frame = frameOf(map);
        const QImage plain = h.grab();
        const QPointF columnAt = frame.toWindow(reg.assets()[std::size_t(column)].world);
        const QPointF shelterAt = frame.toWindow(reg.assets()[std::size_t(shelter)].world);
        QVERIFY(anyPixelNear(plain, columnAt, 1, MapStyle::assetColor(AssetKind::Streetlight), 30));
        QVERIFY(anyPixelNear(plain, shelterAt, 1, MapStyle::assetColor(AssetKind::Shelter), 30));

        // A leaning column is red; a shelter whose display is down is grey.
        AssetStatusPoint lamp;
        lamp.source = quint32(column);
        lamp.id = reg.assets()[std::size_t(column)].id;
        lamp.lamp = qint8(LampState::ColumnIssue);
        lamp.watts = 0.0f;
        AssetStatusPoint down;
        down.source = quint32(shelter);
        down.id = reg.assets()[std::size_t(shelter)].id;
        down.offline = true;
        h.devices()->setStatusProvider([&](quint64, std::vector<AssetStatusPoint> &out) {
            out = {lamp, down};
            return quint64(1);
        });
        h.devices()->setProvider([](std::vector<DevicePoint> &out) { out.clear(); }, 100000);
        const QImage image = h.grab();
        QVERIFY(anyPixelNear(image, columnAt, 1, MapStyle::sos(), 30));
        QVERIFY(anyPixelNear(image, shelterAt, 1, MapStyle::offline(), 30));
        map->select(column);
        QCOMPARE(map->selection().kind, QStringLiteral("streetlight"));
        QCOMPARE(map->selection().lamp, QStringLiteral("Column damaged"));
        QCOMPARE(map->selection().power, QStringLiteral("0 W"));
        // The card shows the same words, and no row that is not the column's.
        const QStringList rows = cardRows(h);
        QVERIFY2(rows.contains(QStringLiteral("Lamp: Column damaged")) && rows.contains(QStringLiteral("Power: 0 W")) &&
                     rows.contains(QStringLiteral("ID: ") + reg.assets()[std::size_t(column)].id),
                 qPrintable(rows.join(u'|')));
        for (const QString &row : rows)
            QVERIFY2(!row.startsWith(QStringLiteral("Safe zones")) && !row.startsWith(QStringLiteral("Cameras")),
                     qPrintable(row));
        map->select(shelter);
        QCOMPARE(map->selection().kind, QStringLiteral("shelter"));
        QCOMPARE(map->selection().state, QStringLiteral("Offline"));
        QVERIFY2(cardRows(h).contains(QStringLiteral("State: Offline")), qPrintable(cardRows(h).join(u'|')));
        map->clearSelection();
        QVERIFY(cardRows(h).isEmpty());
        // Hidden again, the column's colour is gone from its place.
        map->setShowStreetlights(false);
        QVERIFY(!anyPixelNear(h.grab(), columnAt, 1, MapStyle::sos(), 30));
    }

    void layerToggleHidesMarkers()
    {
        test::WindowHarness h;
        QVERIFY(h.open(QStringLiteral(GWANJE_DATA_DIR)));
        auto *map = h.find<MapView>(QStringLiteral("map"));
        QVERIFY(map);
        auto countColour = [](const QImage &image, QColor colour) {
            int n = 0;
            for (int y = 0; y < image.height(); y += 2) {
                for (int x = 0; x < image.width(); x += 2)
                    n += test::colorDistance(image.pixelColor(x, y), colour) <= 12;
            }
            return n;
        };
        map->setClustering(false);
        const QColor camera = MapStyle::assetColor(AssetKind::CameraSite);
        const int before = countColour(h.grab(), camera);
        map->setShowCameras(false);
        const int after = countColour(h.grab(), camera);
        QVERIFY2(before > 2000, qPrintable(QString::number(before)));
        // What remains is the legend swatch, the chip and the CCTV column heading.
        QVERIFY2(after < 400, qPrintable(QString::number(after)));
    }

    void badDataFileShowsBanner()
    {
        QTemporaryDir dir;
        QVERIFY(test::copyTree(QStringLiteral(GWANJE_DATA_DIR), dir.path()));
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("seoul/wifi/seoul_public_wifi_2021.csv"))));
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("seoul/environment/sdot_sensor_locations.csv")),
                                QByteArray("\x89PNG\r\n\x1a\n garbage \x00\x01\x02", 19)));
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("seoul_public_wifi_2021\\.csv: missing_file")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(
                                               "sdot_sensor_locations\\.csv: (unreadable|missing_column)")));
        test::WindowHarness h;
        QVERIFY(h.open(dir.path()));
        QCOMPARE(h.assets()->problems().size(), 2);
        // Everything else still loaded.
        QCOMPARE(h.assets()->cameraSites(),
                 AssetLoader::loadDirectory(QStringLiteral(GWANJE_DATA_DIR)).registry->count(AssetKind::CameraSite));
        const auto *banner = h.find<QQuickItem>(QStringLiteral("problemBanner"));
        QVERIFY(banner);
        QVERIFY(banner->isVisible());
        QVERIFY(banner->height() > 40);
        const QString text = h.assets()->problems().join(QLatin1Char('\n'));
        QVERIFY2(text.contains(QStringLiteral("seoul/wifi/seoul_public_wifi_2021.csv")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("sdot_sensor_locations.csv")), qPrintable(text));
        // The banner is on screen in its warning colour.
        const QImage image = h.grab();
        const QPointF inside = banner->mapToScene(QPointF(banner->width() - 20, banner->height() / 2));
        QVERIFY(test::colorDistance(image.pixelColor(inside.toPoint()), QColor(0x3d, 0x2a, 0x05)) <= 8);
    }

    void aBackendDrivesTheWholeScreen()
    {
        test::WindowHarness h;
        QVERIFY(h.open(QStringLiteral(GWANJE_DATA_DIR)));
        FakeBackend backend;
        Alarm sos;
        sos.id = 7;
        sos.type = QStringLiteral("sos");
        sos.priority = 1;
        sos.source = QStringLiteral("SD-000001");
        sos.state = AlarmState::Unacknowledged;
        sos.active = true;
        sos.raisedAtMs = QDateTime::currentMSecsSinceEpoch();
        sos.desks = {QStringLiteral("ops")};
        backend.snapshot = {1, {sos}, {}};
        h.ui()->attach(backend);
        QVERIFY(backend.changed); // the engine's change callback reaches the facade
        QTRY_COMPARE(h.alarms()->count(), 1);
        QTRY_COMPARE(h.devices()->sosCount(), 1);
        QTRY_VERIFY(h.alarms()->problems().contains(QStringLiteral("the backend says so")));
        // A command goes back through the same interface and the panel follows.
        QVERIFY(h.alarms()->acknowledge(7, QStringLiteral("on it")));
        QCOMPARE(backend.commands.size(), 1u);
        QCOMPARE(backend.commands[0].action, AlarmAction::Acknowledge);
        backend.changed();
        QTRY_COMPARE(h.alarms()->unacknowledgedCount(), 0);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
