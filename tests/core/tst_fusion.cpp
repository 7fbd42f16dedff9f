// The fusion rules: event streams in, the few alarms an operator must act on out. Hand-built
// cities for each rule, then the simulator's fiber-cut and typhoon scenarios on the real data.
#include "TestSupport.h"
#include "assets/AssetRegistry.h"
#include "data/AssetLoader.h"
#include "events/SourceDirectory.h"
#include "fusion/FusionEngine.h"
#include "sim/SeoulSimulator.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace gwanje;

namespace {
// 2026-11-25 10:00 KST.
const qint64 t0 = QDateTime::fromString(QStringLiteral("2026-11-25T01:00:00Z"), Qt::ISODate).toMSecsSinceEpoch();
constexpr double lat0 = 37.60;
constexpr double lon0 = 126.93;

// A square district of about 2 km around (lat0, lon0) named 은평구, with `cameras` camera sites in it.
std::shared_ptr<AssetRegistry> city(int cameras, int aps = 0)
{
    auto registry = std::make_shared<AssetRegistry>();
    Region d;
    d.code = QStringLiteral("11380");
    d.name = QStringLiteral("은평구");
    d.nameEn = QStringLiteral("Eunpyeong-gu");
    d.rings = {{{lon0 - 0.02, lat0 - 0.02},
                {lon0 + 0.02, lat0 - 0.02},
                {lon0 + 0.02, lat0 + 0.02},
                {lon0 - 0.02, lat0 + 0.02},
                {lon0 - 0.02, lat0 - 0.02}}};
    d.bounds = GeoRect{lon0 - 0.02, lat0 - 0.02, lon0 + 0.02, lat0 + 0.02};
    d.labelPoint = {lon0, lat0};
    registry->addRegion(d);
    for (int i = 0; i < cameras + aps; ++i) {
        Asset a;
        a.kind = i < cameras ? AssetKind::CameraSite : AssetKind::WifiAp;
        a.id = (i < cameras ? QStringLiteral("CAM-%1") : QStringLiteral("AP-%1")).arg(i);
        a.latitude = lat0 + 0.0005 * (i % 10);
        a.longitude = lon0 + 0.0005 * (i / 10);
        registry->addAsset(a);
    }
    registry->finalize();
    return registry;
}

struct Rig
{
    std::shared_ptr<SourceDirectory> sources = std::make_shared<SourceDirectory>();
    AlarmService alarms{QString()};
    FusionEngine fusion;
    quint64 nextId = 1;

    explicit Rig(FusionConfig config = FusionConfig::defaults(), std::shared_ptr<AssetRegistry> registry = city(20))
        : fusion(std::move(config), sources)
    {
        alarms.open();
        fusion.setAlarmService(&alarms);
        fusion.setAssets(std::move(registry));
    }

    Event event(EventKind kind, const QString &source, qint64 t)
    {
        Event e;
        e.kind = kind;
        e.source = sources->intern(source);
        e.sourceTimeMs = t;
        e.receiveTimeMs = t;
        e.sourceEventId = nextId++;
        return e;
    }
    void feed(std::vector<Event> events) { fusion.apply(events, events.empty() ? 0 : events.back().receiveTimeMs); }
    void feed(const Event &e) { feed(std::vector<Event>{e}); }

    std::vector<Alarm> ofType(const QString &type) const
    {
        std::vector<Alarm> out;
        for (const Alarm &a : alarms.alarms()) {
            if (a.type == type)
                out.push_back(a);
        }
        return out;
    }
};

// The simulator's scenario on the real city, its events through the fusion rules.
struct ScenarioRun
{
    std::shared_ptr<SourceDirectory> sources = std::make_shared<SourceDirectory>();
    AlarmService alarms{QString()};
    FusionEngine fusion;
    SeoulSimulator sim;

    static SimulatorConfig configFor(Scenario scenario)
    {
        SimulatorConfig config;
        config.devices = 300;
        config.startMs = t0;
        config.scenario = scenario;
        return config;
    }
    ScenarioRun(std::shared_ptr<const AssetRegistry> registry, Scenario scenario)
        : fusion(FusionConfig::defaults(), sources)
        , sim(registry, nullptr, sources, configFor(scenario))
    {
        alarms.open();
        fusion.setAlarmService(&alarms);
        fusion.setAssets(std::move(registry));
        fusion.setRoster(sim.roster());
    }
    // Runs `seconds` of simulated time; returns how many events went through.
    quint64 run(qint64 seconds)
    {
        quint64 events = 0;
        sim.runFor(seconds, [&](std::vector<Event> &&batch) {
            events += batch.size();
            fusion.apply(batch, 0);
        });
        return events;
    }
};

Event cameraHealth(Rig &rig, int camera, CameraState state, qint64 t)
{
    Event e = rig.event(EventKind::CameraHealth, QStringLiteral("CAM-%1").arg(camera), t);
    e.status = qint8(state);
    return e;
}

Event reading(Rig &rig, Quantity q, double value, qint64 t)
{
    Event e = rig.event(EventKind::SensorReading, QStringLiteral("SDOT-1"), t);
    e.quantity = q;
    e.value = float(value);
    e.latitude = lat0;
    e.longitude = lon0;
    return e;
}
// 은평구 of city() with streetlight columns SL-0.., u-Shelters SH-0.., a pond's water sensor
// POND-1 and a tap-water sensor TAP-1.
std::shared_ptr<AssetRegistry> streetCity(int lamps, int shelters)
{
    auto registry = std::make_shared<AssetRegistry>();
    const auto district = city(0);
    for (const Region &d : district->districts())
        registry->addRegion(d);
    auto add = [&](AssetKind kind, const QString &id, int i, SensorMedium medium = SensorMedium::Air) {
        Asset a;
        a.kind = kind;
        a.id = id;
        a.medium = medium;
        a.latitude = lat0 + 0.0003 * (i % 10);
        a.longitude = lon0 + 0.0003 * (i / 10);
        registry->addAsset(a);
    };
    for (int i = 0; i < lamps; ++i)
        add(AssetKind::Streetlight, QStringLiteral("SL-%1").arg(i), i);
    for (int i = 0; i < shelters; ++i)
        add(AssetKind::Shelter, QStringLiteral("SH-%1").arg(i), 50 + i);
    add(AssetKind::Sensor, QStringLiteral("POND-1"), 80, SensorMedium::SurfaceWater);
    add(AssetKind::Sensor, QStringLiteral("TAP-1"), 81, SensorMedium::TapWater);
    registry->finalize();
    return registry;
}

Event lamp(Rig &rig, int column, LampState state, qint64 t)
{
    Event e = rig.event(EventKind::StreetlightStatus, QStringLiteral("SL-%1").arg(column), t);
    e.status = qint8(state);
    e.value = state == LampState::Ok ? 120.0f : 0.0f;
    return e;
}

} // namespace

class TestFusion : public QObject
{
    Q_OBJECT

    std::shared_ptr<const AssetRegistry> m_real;
    std::shared_ptr<const AssetRegistry> realCity()
    {
        if (!m_real)
            m_real = AssetLoader::loadDirectory(QStringLiteral(GWANJE_DATA_DIR)).registry;
        return m_real;
    }

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void defaultsAreTheShippedFile()
    {
        QStringList problems;
        const FusionConfig shipped =
            FusionConfig::load(QStringLiteral(GWANJE_DATA_DIR "/fusion/rules.json"), &problems);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        const FusionConfig built = FusionConfig::defaults();
        QCOMPARE(shipped.thresholds.size(), built.thresholds.size());
        QVERIFY(built.thresholds.size() >= 8);
        QCOMPARE(built.priorityOf(QStringLiteral("sos")), 1);
        QCOMPARE(built.desksFor(QStringLiteral("sos"), 1, {}),
                 (QStringList{QStringLiteral("ops"), QStringLiteral("police-112")}));
        QCOMPARE(built.desksFor(QStringLiteral("fall"), 1, {}),
                 (QStringList{QStringLiteral("ops"), QStringLiteral("fire-119")}));
        QCOMPARE(built.desksFor(QStringLiteral("ap_offline"), 4, {}), QStringList{QStringLiteral("ops")});
        // Every type has its procedure, in both languages.
        for (const QString &type : built.priorities.keys()) {
            QVERIFY2(built.procedures.contains(type), qPrintable(type));
            QVERIFY(!built.procedures.value(type).stepsKo.isEmpty());
        }
        // What a file may hold and what happens when it is wrong: tst_fusionconfig.
    }

    void sosIsImmediateLatchedAndDeduplicated()
    {
        Rig rig;
        Event sos = rig.event(EventKind::Sos, QStringLiteral("SD-000001"), t0);
        sos.latitude = lat0;
        sos.longitude = lon0;
        rig.feed(sos);
        auto alarms = rig.ofType(QStringLiteral("sos"));
        QCOMPARE(alarms.size(), 1u);
        QCOMPARE(alarms[0].priority, 1);
        QCOMPARE(alarms[0].district, QStringLiteral("은평구"));
        QCOMPARE(alarms[0].desks, (QStringList{QStringLiteral("ops"), QStringLiteral("police-112")}));
        // The cameras that can see the spot are linked, nearest first (all 20 are 360° by default
        // here: no view text, so direction unknown; the nearest is the one at the spot).
        QVERIFY(!alarms[0].cameras.isEmpty());
        QCOMPARE(alarms[0].cameras.first(), QStringLiteral("CAM-0"));
        QVERIFY(alarms[0].cameras.size() <= 5);
        // The same event delivered again is dropped; a second press while it stands is a repeat.
        rig.feed(sos);
        QCOMPARE(rig.fusion.counters().duplicates, 1u);
        rig.feed(rig.event(EventKind::Sos, QStringLiteral("SD-000001"), t0 + 5000));
        QCOMPARE(rig.fusion.counters().repeats, 1u);
        QCOMPARE(rig.ofType(QStringLiteral("sos")).size(), 1u);
        // Latched: it stands until acknowledged and closed by an operator.
        const qint64 id = alarms[0].id;
        AlarmCommand close{id, AlarmAction::Close, QStringLiteral("kim"), QStringLiteral("ops"), {}, {}, 0, t0 + 9000,
                           {}};
        QVERIFY(!rig.alarms.execute(close).ok);
        AlarmCommand ack = close;
        ack.action = AlarmAction::Acknowledge;
        QVERIFY(rig.alarms.execute(ack).ok);
        QVERIFY(rig.alarms.execute(close).ok);
        QVERIFY(rig.ofType(QStringLiteral("sos")).empty());
    }

    void cameraOfflineWaitsForTheGracePeriod()
    {
        Rig rig;
        const qint64 grace = FusionConfig::defaults().graceOf(QStringLiteral("camera_offline"));
        // Down for less than the grace period: nothing.
        rig.feed(cameraHealth(rig, 1, CameraState::Offline, t0));
        rig.fusion.advance(t0 + grace - 1000);
        rig.feed(cameraHealth(rig, 1, CameraState::Online, t0 + grace - 500));
        rig.fusion.advance(t0 + 10 * grace);
        QVERIFY(rig.alarms.alarms().empty());
        // Down for longer: one alarm, which returns to normal (unacknowledged) when it is back.
        const qint64 t1 = t0 + 20 * grace;
        rig.feed(cameraHealth(rig, 1, CameraState::Offline, t1));
        rig.feed(cameraHealth(rig, 1, CameraState::Offline, t1 + 1000)); // still down: no second alarm
        rig.fusion.advance(t1 + grace);
        auto alarms = rig.ofType(QStringLiteral("camera_offline"));
        QCOMPARE(alarms.size(), 1u);
        QCOMPARE(alarms[0].source, QStringLiteral("CAM-1"));
        QCOMPARE(alarms[0].state, AlarmState::Unacknowledged);
        rig.feed(cameraHealth(rig, 1, CameraState::Online, t1 + grace + 5000));
        QCOMPARE(rig.ofType(QStringLiteral("camera_offline"))[0].state, AlarmState::ReturnedUnacknowledged);
    }

    // A black picture is its own alarm, after its own grace period; a frozen one is not it.
    void aBlackPictureIsItsOwnAlarm()
    {
        Rig rig;
        const qint64 grace = FusionConfig::defaults().graceOf(QStringLiteral("camera_black"));
        QVERIFY(grace > 0);
        rig.feed(cameraHealth(rig, 1, CameraState::Black, t0));
        rig.fusion.advance(t0 + grace - 1000);
        QVERIFY(rig.ofType(QStringLiteral("camera_black")).empty());
        rig.fusion.advance(t0 + grace);
        QCOMPARE(rig.ofType(QStringLiteral("camera_black")).size(), 1u);
        QVERIFY(rig.ofType(QStringLiteral("camera_frozen")).empty());
        QVERIFY(rig.ofType(QStringLiteral("camera_offline")).empty());
        rig.feed(cameraHealth(rig, 1, CameraState::Online, t0 + grace + 1000));
        QCOMPARE(rig.ofType(QStringLiteral("camera_black"))[0].state, AlarmState::ReturnedUnacknowledged);
    }

    void manyOfflineInOneDistrictAreOneGroupedAlarm()
    {
        Rig rig;
        const qint64 grace = FusionConfig::defaults().graceOf(QStringLiteral("camera_offline"));
        std::vector<Event> cut;
        for (int i = 0; i < 12; ++i)
            cut.push_back(cameraHealth(rig, i, CameraState::Offline, t0));
        rig.feed(cut);
        rig.fusion.advance(t0 + grace);
        QVERIFY(rig.ofType(QStringLiteral("camera_offline")).empty());
        auto outages = rig.ofType(QStringLiteral("outage"));
        QCOMPARE(outages.size(), 1u);
        QCOMPARE(outages[0].members.size(), 12);
        QCOMPARE(outages[0].district, QStringLiteral("은평구"));
        QVERIFY(outages[0].grouped());
        // A later failure in the district joins the standing incident.
        rig.feed(cameraHealth(rig, 15, CameraState::Offline, t0 + grace + 1000));
        rig.fusion.advance(t0 + 2 * grace + 1000);
        outages = rig.ofType(QStringLiteral("outage"));
        QCOMPARE(outages.size(), 1u);
        QCOMPARE(outages[0].members.size(), 13);
        QVERIFY(outages[0].members.contains(QStringLiteral("CAM-15")));
        // It clears when the last member is back, not before.
        std::vector<Event> back;
        for (int i = 0; i < 12; ++i)
            back.push_back(cameraHealth(rig, i, CameraState::Online, t0 + 3 * grace));
        rig.feed(back);
        QVERIFY(rig.ofType(QStringLiteral("outage"))[0].active);
        rig.feed(cameraHealth(rig, 15, CameraState::Online, t0 + 3 * grace + 1000));
        QVERIFY(!rig.ofType(QStringLiteral("outage"))[0].active);
        QCOMPARE(rig.alarms.alarms().size(), 1u);
    }

    void failuresHoursApartAreNotOneIncident()
    {
        // A district's assets fail now and then on their own: six standing at once, each having
        // failed ten minutes after the last, are six alarms, not an outage.
        Rig rig;
        const qint64 grace = FusionConfig::defaults().graceOf(QStringLiteral("camera_offline"));
        for (int i = 0; i < 6; ++i) {
            rig.feed(cameraHealth(rig, i, CameraState::Offline, t0 + i * 600'000));
            rig.fusion.advance(t0 + i * 600'000 + grace);
        }
        QVERIFY(rig.ofType(QStringLiteral("outage")).empty());
        QCOMPARE(rig.ofType(QStringLiteral("camera_offline")).size(), 6u);
    }

    void sensorThresholdHasDeadbandAndDelays()
    {
        // PM10 매우나쁨: above 150 for 10 minutes; clears below 130 after 30 minutes.
        FusionConfig config = FusionConfig::defaults();
        std::erase_if(config.thresholds,
                      [](const ThresholdRule &r) { return r.name != QLatin1String("pm10_very_bad"); });
        QCOMPARE(config.thresholds.size(), 1u);
        Rig rig(config);
        const qint64 minute = 60'000;
        // A spike that does not last: no alarm.
        rig.feed(reading(rig, Quantity::Pm10, 170, t0));
        rig.feed(reading(rig, Quantity::Pm10, 120, t0 + 5 * minute));
        rig.fusion.advance(t0 + 30 * minute);
        QVERIFY(rig.alarms.alarms().empty());
        // Hovering at the limit for an hour: exactly one alarm, no chattering.
        qint64 t = t0 + 60 * minute;
        for (int i = 0; i < 60; ++i, t += minute)
            rig.feed(reading(rig, Quantity::Pm10, i % 2 ? 155 : 148, t));
        // 148 is below the limit, so the on-delay restarts: hovering just below does not alarm...
        QVERIFY(rig.alarms.alarms().empty());
        for (int i = 0; i < 60; ++i, t += minute)
            rig.feed(reading(rig, Quantity::Pm10, i % 2 ? 165 : 152, t));
        QCOMPARE(rig.ofType(QStringLiteral("sensor_threshold")).size(), 1u);
        QCOMPARE(rig.ofType(QStringLiteral("sensor_threshold"))[0].detail, QStringLiteral("pm10_very_bad"));
        QCOMPARE(rig.ofType(QStringLiteral("sensor_threshold"))[0].priority, 3);
        // Inside the deadband (130..150) it stays in alarm however long.
        for (int i = 0; i < 60; ++i, t += minute)
            rig.feed(reading(rig, Quantity::Pm10, 140, t));
        QVERIFY(rig.ofType(QStringLiteral("sensor_threshold"))[0].active);
        // Below the clear level for 30 minutes: it clears, once.
        for (int i = 0; i <= 31; ++i, t += minute)
            rig.feed(reading(rig, Quantity::Pm10, 100, t));
        QVERIFY(!rig.ofType(QStringLiteral("sensor_threshold"))[0].active);
        QCOMPARE(rig.fusion.counters().raised, 1u);
    }

    void lowBatteryHasHysteresis()
    {
        Rig rig;
        auto fix = [&](float battery, qint64 t) {
            Event e = rig.event(EventKind::PositionFix, QStringLiteral("SD-000007"), t);
            e.latitude = lat0;
            e.longitude = lon0;
            e.battery = battery;
            return e;
        };
        rig.feed({fix(40, t0), fix(16, t0 + 10'000), fix(15, t0 + 20'000), fix(14, t0 + 30'000), fix(18, t0 + 40'000),
                  fix(14, t0 + 50'000)});
        QCOMPARE(rig.ofType(QStringLiteral("low_battery")).size(), 1u);
        rig.feed(fix(30, t0 + 60'000)); // charged
        QVERIFY(!rig.ofType(QStringLiteral("low_battery"))[0].active);
        QCOMPARE(rig.fusion.counters().raised, 1u);
    }

    void aSilentDeviceIsOffline()
    {
        Rig rig;
        SafetyDevice wearer;
        wearer.id = QStringLiteral("SD-000021");
        rig.fusion.setRoster({wearer});
        const qint64 silent = rig.fusion.config().deviceSilentMs;
        auto fix = [&](qint64 t) {
            Event e = rig.event(EventKind::PositionFix, wearer.id, t);
            e.latitude = lat0;
            e.longitude = lon0;
            return e;
        };
        rig.feed(fix(t0));
        rig.fusion.advance(t0 + silent - 1000);
        QVERIFY(rig.ofType(QStringLiteral("device_offline")).empty());
        rig.fusion.advance(t0 + silent + 1000);
        auto offline = rig.ofType(QStringLiteral("device_offline"));
        QCOMPARE(offline.size(), 1u);
        QCOMPARE(offline[0].source, wearer.id);
        rig.fusion.advance(t0 + 3 * silent); // still silent: still one alarm
        QCOMPARE(rig.ofType(QStringLiteral("device_offline")).size(), 1u);
        // Heard from again: it returns to normal.
        rig.feed(fix(t0 + 3 * silent + 1000));
        QVERIFY(!rig.ofType(QStringLiteral("device_offline"))[0].active);
        // A device that says it goes offline and comes back within the grace period: nothing new.
        Event off = rig.event(EventKind::DeviceOffline, wearer.id, t0 + 4 * silent);
        rig.feed(off);
        rig.fusion.advance(t0 + 4 * silent + rig.fusion.config().graceOf(QStringLiteral("device_offline")) / 2);
        rig.feed(fix(t0 + 4 * silent + rig.fusion.config().graceOf(QStringLiteral("device_offline")) / 2 + 1000));
        rig.fusion.advance(t0 + 5 * silent);
        QCOMPARE(rig.fusion.counters().raised, 1u);
    }

    void floodGroupsTechnicalAlarmsButNeverPriorityOne()
    {
        FusionConfig config = FusionConfig::defaults();
        config.groupMinMembers = 1000; // no district grouping here: one alarm per camera
        Rig rig(config, city(40));
        const qint64 grace = config.graceOf(QStringLiteral("camera_offline"));
        // Eleven cameras fail one by one within ten minutes: the ops desk is in flood after the 11th.
        for (int i = 0; i < 11; ++i) {
            rig.feed(cameraHealth(rig, i, CameraState::Offline, t0 + i * 30'000));
            rig.fusion.advance(t0 + i * 30'000 + grace);
        }
        QCOMPARE(rig.ofType(QStringLiteral("camera_offline")).size(), 11u);
        QVERIFY(rig.fusion.kpis().size() >= 1);
        auto ops = [&] {
            for (const DeskKpis &k : rig.fusion.kpis()) {
                if (k.desk == QLatin1String("ops"))
                    return k;
            }
            return DeskKpis{};
        };
        QVERIFY(ops().inFlood);
        // In flood, new camera alarms join one grouped alarm...
        const qint64 t1 = t0 + 11 * 30'000;
        for (int i = 11; i < 20; ++i)
            rig.feed(cameraHealth(rig, i, CameraState::Offline, t1));
        rig.fusion.advance(t1 + grace);
        auto cameras = rig.ofType(QStringLiteral("camera_offline"));
        QCOMPARE(cameras.size(), 12u);
        const auto group = std::find_if(cameras.begin(), cameras.end(), [](const Alarm &a) { return a.grouped(); });
        QVERIFY(group != cameras.end());
        QCOMPARE(group->members.size(), 9);
        // ...but an SOS stands alone.
        Event sos = rig.event(EventKind::Sos, QStringLiteral("SD-000003"), t1 + grace);
        sos.latitude = lat0;
        sos.longitude = lon0;
        rig.feed(sos);
        QCOMPARE(rig.ofType(QStringLiteral("sos")).size(), 1u);
        QVERIFY(!rig.ofType(QStringLiteral("sos"))[0].grouped());
        // Quiet for a while: the flood ends, and the KPIs show the time spent in it.
        rig.fusion.advance(t1 + grace + 11 * 60'000);
        const DeskKpis k = ops();
        QVERIFY(!k.inFlood);
        QCOMPARE(k.floods, 1);
        QVERIFY(k.timeInFloodPercent > 0.0);
        QCOMPARE(k.alarms, 13); // 11 cameras, the grouped alarm, the SOS
        QCOMPARE(k.byPriority[0], 1);
        QVERIFY(k.peak10Min >= 11);
    }

    void unacknowledgedPriorityOneEscalatesAndReminds()
    {
        Rig rig;
        const FusionConfig &c = rig.fusion.config();
        Event fall = rig.event(EventKind::Fall, QStringLiteral("SD-000009"), t0);
        fall.latitude = lat0;
        fall.longitude = lon0;
        rig.feed(fall);
        const qint64 id = rig.ofType(QStringLiteral("fall"))[0].id;
        QCOMPARE(rig.ofType(QStringLiteral("fall"))[0].desks,
                 (QStringList{QStringLiteral("ops"), QStringLiteral("fire-119")}));
        rig.fusion.advance(t0 + c.escalateAfterMs - 1000);
        QCOMPARE(rig.fusion.counters().escalations, 0u);
        rig.fusion.advance(t0 + c.escalateAfterMs);
        QCOMPARE(rig.fusion.counters().escalations, 1u);
        QVERIFY(rig.ofType(QStringLiteral("fall"))[0].dispatchedTo(c.escalationDesk));
        rig.fusion.advance(t0 + c.escalateAfterMs + c.remindEveryMs);
        rig.fusion.advance(t0 + c.escalateAfterMs + 2 * c.remindEveryMs);
        QCOMPARE(rig.fusion.counters().reminders, 2u);
        // Acknowledged: the reminders stop.
        AlarmCommand ack{id,
                         AlarmAction::Acknowledge,
                         QStringLiteral("kim"),
                         QStringLiteral("ops"),
                         {},
                         {},
                         0,
                         t0 + c.escalateAfterMs + 2 * c.remindEveryMs + 1,
                         {}};
        QVERIFY(rig.alarms.execute(ack).ok);
        rig.fusion.advance(t0 + c.escalateAfterMs + 10 * c.remindEveryMs);
        QCOMPARE(rig.fusion.counters().reminders, 2u);
        QCOMPARE(rig.fusion.counters().escalations, 1u);
        const auto history = rig.alarms.history(id); // memory-only service: no history kept
        QVERIFY(history.empty());
    }

    void jitterAroundTheBorderIsOneExit()
    {
        Rig rig;
        SafetyDevice wearer;
        wearer.id = QStringLiteral("SD-000011");
        wearer.category = WearerCategory::Dementia;
        SafeZone home;
        home.centerLatitude = lat0;
        home.centerLongitude = lon0;
        home.radiusMetres = 300;
        wearer.safeZones = {home};
        rig.fusion.setRoster({wearer});
        // At home, then 20 minutes on the border with ±15 m of GPS jitter, then walking away.
        const double metresPerDegree = 111'320.0;
        std::vector<Event> fixes;
        qint64 t = t0;
        for (int i = 0; i < 10; ++i, t += 10'000) {
            Event e = rig.event(EventKind::PositionFix, wearer.id, t);
            e.latitude = lat0;
            e.longitude = lon0;
            fixes.push_back(e);
        }
        for (int i = 0; i < 120; ++i, t += 10'000) {
            Event e = rig.event(EventKind::PositionFix, wearer.id, t);
            e.latitude = lat0 + (300.0 + (i % 2 ? 15.0 : -15.0)) / metresPerDegree;
            e.longitude = lon0;
            fixes.push_back(e);
        }
        const std::size_t onTheBorder = fixes.size();
        for (int i = 1; i <= 30; ++i, t += 10'000) {
            Event e = rig.event(EventKind::PositionFix, wearer.id, t);
            e.latitude = lat0 + (300.0 + 20.0 * i) / metresPerDegree;
            e.longitude = lon0;
            fixes.push_back(e);
        }
        // Delivered in batches of 7, as the bus does.
        for (std::size_t i = 0; i < fixes.size(); i += 7)
            rig.feed(std::vector<Event>(fixes.begin() + qsizetype(i),
                                        fixes.begin() + qsizetype(std::min(fixes.size(), i + 7))));
        auto exits = rig.ofType(QStringLiteral("safe_zone_exit"));
        QCOMPARE(exits.size(), 1u);
        QCOMPARE(exits[0].priority, 2);
        QCOMPARE(exits[0].desks, (QStringList{QStringLiteral("ops"), QStringLiteral("police-112")}));
        // The crossing it reports is the last one, as the wearer left for good, not the first jitter.
        QVERIFY(exits[0].raisedAtMs >= fixes[onTheBorder - 2].sourceTimeMs);
        QVERIFY(exits[0].raisedAtMs <= fixes[onTheBorder].sourceTimeMs);
        QCOMPARE(rig.fusion.counters().raised, 1u);
    }

    void fiberCutIsOneGroupedAlarm()
    {
        const auto registry = realCity();
        QVERIFY(registry);
        ScenarioRun run(registry, Scenario::FiberCut);
        const FusionEngine &fusion = run.fusion;
        const AlarmService &alarms = run.alarms;
        // The cut comes at 30 s; run past the grace periods of cameras and APs.
        run.run(30 +
                std::max(fusion.config().graceOf(QStringLiteral("camera_offline")),
                         fusion.config().graceOf(QStringLiteral("ap_offline"))) /
                    1000 +
                30);
        const QString district = run.sim.scenarioReport().value(QStringLiteral("district")).toString();
        int expected = 0;
        for (std::size_t d = 0; d < registry->districts().size(); ++d) {
            if (registry->districts()[d].name == district)
                expected = registry->countsPerDistrict()[d][std::size_t(AssetKind::WifiAp)] +
                           registry->countsPerDistrict()[d][std::size_t(AssetKind::CameraSite)];
        }
        QVERIFY(expected > 1000);
        std::vector<Alarm> outages;
        for (const Alarm &a : alarms.alarms()) {
            if (a.type == QLatin1String("outage"))
                outages.push_back(a);
        }
        QCOMPARE(outages.size(), 1u);
        QCOMPARE(outages[0].district, district);
        // Every AP and camera of the district, save the few that had failed on their own before.
        QVERIFY2(outages[0].members.size() >= expected - 5 && outages[0].members.size() <= expected,
                 qPrintable(QStringLiteral("%1 of %2").arg(outages[0].members.size()).arg(expected)));
        QVERIFY(alarms.alarms().size() < 20); // thousands of events, a handful of alarms
    }

    void typhoonFloodsTheOpsDeskWithAFewGroupedAlarms()
    {
        ScenarioRun run(realCity(), Scenario::Typhoon);
        const FusionEngine &fusion = run.fusion;
        const AlarmService &alarms = run.alarms;
        const quint64 events = run.run(900);
        const QJsonObject scenario = run.sim.scenarioReport();
        QVERIFY(scenario.value(QStringLiteral("ap_down_events")).toInt() >= 200);
        QStringList outageDistricts;
        int priorityOne = 0;
        for (const Alarm &a : alarms.alarms()) {
            if (a.type == QLatin1String("outage"))
                outageDistricts.append(a.district);
            if (a.priority == 1) {
                ++priorityOne;
                QVERIFY(!a.grouped());
            }
        }
        // One grouped outage per district the storm hit.
        outageDistricts.sort();
        QStringList storm;
        for (const QJsonValue &d : scenario.value(QStringLiteral("districts")).toArray())
            storm.append(d.toString());
        storm.sort();
        QCOMPARE(outageDistricts, storm);
        // The ops desk floods, and the KPIs say so; the storm's hundreds of failures are a few
        // dozen alarms at most.
        DeskKpis ops;
        for (const DeskKpis &k : fusion.kpis()) {
            if (k.desk == QLatin1String("ops"))
                ops = k;
        }
        QVERIFY(ops.floods >= 1);
        QVERIFY(ops.timeInFloodPercent > 0.0);
        QVERIFY(ops.peak10Min > 10);
        QVERIFY2(ops.alarms < 60, qPrintable(QString::number(ops.alarms)));
        QVERIFY(fusion.counters().grouped > 200);
        QCOMPARE(ops.byPriority[0], priorityOne + 0); // every priority-1 alarm reached ops on its own
        qInfo("typhoon: %llu events, %d alarms at ops (peak %d in 10 min, %.1f %% of the time in flood), %llu grouped",
              static_cast<unsigned long long>(events), ops.alarms, ops.peak10Min, ops.timeInFloodPercent,
              static_cast<unsigned long long>(fusion.counters().grouped));
    }

    void streetlightAndShelterFaultsAreTheirOwnAlarms()
    {
        Rig rig(FusionConfig::defaults(), streetCity(20, 2));
        // A lamp reports its own fault: an alarm at once, low priority, back to normal when fixed.
        rig.feed(lamp(rig, 1, LampState::DefectiveLamp, t0));
        rig.fusion.advance(t0);
        auto faults = rig.ofType(QStringLiteral("streetlight_fault"));
        QCOMPARE(faults.size(), 1u);
        QCOMPARE(faults[0].source, QStringLiteral("SL-1"));
        QCOMPARE(faults[0].priority, 4);
        QCOMPARE(faults[0].district, QStringLiteral("은평구"));
        // A maintenance job: the facilities desk's, not the ops operator's.
        QCOMPARE(faults[0].desks, QStringList{QStringLiteral("facilities")});
        rig.feed(lamp(rig, 1, LampState::DefectiveLamp, t0 + 900'000)); // still broken: no second alarm
        rig.feed(lamp(rig, 1, LampState::Ok, t0 + 3'600'000));
        faults = rig.ofType(QStringLiteral("streetlight_fault"));
        QCOMPARE(faults.size(), 1u);
        QVERIFY(!faults[0].active);
        // Switched off by day is not a fault.
        rig.feed(lamp(rig, 2, LampState::Off, t0 + 3'700'000));
        rig.fusion.advance(t0 + 3'800'000);
        QCOMPARE(rig.ofType(QStringLiteral("streetlight_fault")).size(), 1u);

        // A shelter's display going offline waits out its grace period and is not a wearer's
        // device going offline.
        const qint64 t1 = t0 + 4 * 3'600'000;
        const qint64 grace = FusionConfig::defaults().graceOf(QStringLiteral("shelter_offline"));
        rig.feed(rig.event(EventKind::DeviceOffline, QStringLiteral("SH-1"), t1));
        rig.fusion.advance(t1 + grace - 1000);
        QVERIFY(rig.ofType(QStringLiteral("shelter_offline")).empty());
        rig.fusion.advance(t1 + grace);
        QCOMPARE(rig.ofType(QStringLiteral("shelter_offline")).size(), 1u);
        QVERIFY(rig.ofType(QStringLiteral("device_offline")).empty());
        rig.feed(rig.event(EventKind::DeviceOnline, QStringLiteral("SH-1"), t1 + grace + 60'000));
        QVERIFY(!rig.ofType(QStringLiteral("shelter_offline"))[0].active);
    }

    void aPowerCutIsOneOutageOfStreetlights()
    {
        Rig rig(FusionConfig::defaults(), streetCity(20, 0));
        std::vector<Event> cut;
        for (int i = 0; i < 8; ++i)
            cut.push_back(lamp(rig, i, LampState::DefectiveLamp, t0 + i * 1000));
        rig.feed(cut);
        rig.fusion.advance(t0 + 10'000);
        QVERIFY(rig.ofType(QStringLiteral("streetlight_fault")).empty());
        const auto outages = rig.ofType(QStringLiteral("outage"));
        QCOMPARE(outages.size(), 1u);
        QCOMPARE(outages[0].members.size(), 8);
        std::vector<Event> back;
        for (int i = 0; i < 8; ++i)
            back.push_back(lamp(rig, i, LampState::Ok, t0 + 3'600'000));
        rig.feed(back);
        QVERIFY(!rig.ofType(QStringLiteral("outage"))[0].active);
    }

    void tapWaterLimitsDoNotApplyToAPond()
    {
        // Tap water above 0.5 NTU is an alarm; a pond is never that clear and must not chatter.
        FusionConfig config = FusionConfig::defaults();
        std::erase_if(config.thresholds,
                      [](const ThresholdRule &r) { return r.name != QLatin1String("turbidity_high"); });
        QCOMPARE(config.thresholds.size(), 1u);
        QCOMPARE(config.thresholds[0].medium, std::optional<SensorMedium>(SensorMedium::TapWater));
        Rig rig(config, streetCity(0, 0));
        auto turbidity = [&rig](const QString &sensor, double ntu, qint64 t) {
            Event e = rig.event(EventKind::SensorReading, sensor, t);
            e.quantity = Quantity::Turbidity;
            e.value = float(ntu);
            return e;
        };
        for (int i = 0; i <= 20; ++i) {
            rig.feed(turbidity(QStringLiteral("POND-1"), 8.0, t0 + i * 60'000));
            rig.feed(turbidity(QStringLiteral("TAP-1"), 0.9, t0 + i * 60'000));
        }
        const auto alarms = rig.ofType(QStringLiteral("sensor_threshold"));
        QCOMPARE(alarms.size(), 1u);
        QCOMPARE(alarms[0].source, QStringLiteral("TAP-1"));
        // A source the registry does not know gets every rule of the quantity (as before).
        for (int i = 0; i <= 20; ++i)
            rig.feed(turbidity(QStringLiteral("UNKNOWN-7"), 0.9, t0 + i * 60'000));
        QCOMPARE(rig.ofType(QStringLiteral("sensor_threshold")).size(), 2u);
    }

    void groupedAlarmsSurviveARestart()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("alarms.db"));
        {
            auto sources = std::make_shared<SourceDirectory>();
            AlarmService alarms(path);
            QVERIFY(alarms.open());
            FusionEngine fusion(FusionConfig::defaults(), sources);
            fusion.setAlarmService(&alarms);
            fusion.setAssets(city(20));
            std::vector<Event> cut;
            for (int i = 0; i < 8; ++i) {
                Event e;
                e.kind = EventKind::CameraHealth;
                e.status = qint8(CameraState::Offline);
                e.source = sources->intern(QStringLiteral("CAM-%1").arg(i));
                e.sourceTimeMs = e.receiveTimeMs = t0;
                e.sourceEventId = quint64(i + 1);
                cut.push_back(e);
            }
            fusion.apply(cut, t0);
            fusion.advance(t0 + fusion.config().graceOf(QStringLiteral("camera_offline")));
            QCOMPARE(alarms.alarms().size(), 1u);
        }
        AlarmService reopened(path);
        QVERIFY(reopened.open());
        QCOMPARE(reopened.alarms().size(), 1u);
        const Alarm a = reopened.alarms()[0];
        QCOMPARE(a.type, QStringLiteral("outage"));
        QCOMPARE(a.members.size(), 8);
        QCOMPARE(a.desks, QStringList{QStringLiteral("ops")});
        QCOMPARE(a.desksAtMs.size(), 1u);
        QCOMPARE(a.district, QStringLiteral("은평구"));
        QCOMPARE(a.dedupKey, QStringLiteral("outage|은평구"));
        auto history = reopened.history(a.id);
        QCOMPARE(history.size(), 1u);
        QCOMPARE(history[0].action, QStringLiteral("raise"));
        // The fusion rules take the standing alarms up again: the outage clears when its cameras
        // are back, and a wearer's standing SOS is not raised twice.
        auto sources = std::make_shared<SourceDirectory>();
        FusionEngine fusion(FusionConfig::defaults(), sources);
        fusion.setAlarmService(&reopened);
        fusion.setAssets(city(20));
        fusion.resume();
        std::vector<Event> back;
        for (int i = 0; i < 8; ++i) {
            Event e;
            e.kind = EventKind::CameraHealth;
            e.status = qint8(CameraState::Online);
            e.source = sources->intern(QStringLiteral("CAM-%1").arg(i));
            e.sourceTimeMs = e.receiveTimeMs = t0 + 600'000 + i;
            e.sourceEventId = quint64(100 + i);
            back.push_back(e);
            fusion.apply(back, t0);
            QCOMPARE(reopened.alarms()[0].active, i < 7);
            back.clear();
        }
        history = reopened.history(a.id);
        QCOMPARE(history.back().action, QStringLiteral("clear"));
        QCOMPARE(reopened.alarms()[0].state, AlarmState::ReturnedUnacknowledged);
    }

    void standingAlarmsOfEveryKindSurviveARestart()
    {
        // A wearer's SOS (raised at once), a camera's condition and a threshold's (per rule): after
        // a restart each is taken up by its own rule, so a second press is a repeat and the
        // conditions clear their own alarms.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("alarms.db"));
        auto event = [](SourceDirectory &sources, EventKind kind, const QString &id, qint64 t, quint64 n) {
            Event e;
            e.kind = kind;
            e.source = sources.intern(id);
            e.sourceTimeMs = e.receiveTimeMs = t;
            e.sourceEventId = n;
            e.latitude = lat0;
            e.longitude = lon0;
            return e;
        };
        {
            auto sources = std::make_shared<SourceDirectory>();
            AlarmService alarms(path);
            QVERIFY(alarms.open());
            FusionEngine fusion(FusionConfig::defaults(), sources);
            fusion.setAlarmService(&alarms);
            fusion.setAssets(city(20));
            Event camera = event(*sources, EventKind::CameraHealth, QStringLiteral("CAM-3"), t0, 1);
            camera.status = qint8(CameraState::Offline);
            Event noise = event(*sources, EventKind::SensorReading, QStringLiteral("SDOT-1"), t0, 2);
            noise.quantity = Quantity::Noise;
            noise.value = 95.0f;
            const std::vector<Event> batch{event(*sources, EventKind::Sos, QStringLiteral("SD-000009"), t0, 3), camera,
                                           noise};
            fusion.apply(batch, t0);
            Event still = noise;
            still.sourceTimeMs = still.receiveTimeMs = t0 + 3'600'000;
            still.sourceEventId = 4;
            fusion.apply(std::vector<Event>{still}, t0);
            QCOMPARE(alarms.alarms().size(), 3u);
        }
        AlarmService reopened(path);
        QVERIFY(reopened.open());
        QCOMPARE(reopened.alarms().size(), 3u);
        auto sources = std::make_shared<SourceDirectory>();
        FusionEngine fusion(FusionConfig::defaults(), sources);
        fusion.setAlarmService(&reopened);
        fusion.setAssets(city(20));
        fusion.resume();
        const qint64 t1 = t0 + 7'200'000;
        fusion.apply(std::vector<Event>{event(*sources, EventKind::Sos, QStringLiteral("SD-000009"), t1, 10)}, t1);
        QCOMPARE(fusion.counters().repeats, 1u);
        Event online = event(*sources, EventKind::CameraHealth, QStringLiteral("CAM-3"), t1, 11);
        online.status = qint8(CameraState::Online);
        Event quiet = event(*sources, EventKind::SensorReading, QStringLiteral("SDOT-1"), t1, 12);
        quiet.quantity = Quantity::Noise;
        quiet.value = 50.0f;
        fusion.apply(std::vector<Event>{online, quiet}, t1);
        fusion.advance(t1 + 3'600'000); // past the noise limit's clear delay
        QCOMPARE(reopened.alarms().size(), 3u);
        for (const Alarm &a : reopened.alarms())
            QCOMPARE(a.active, a.type == QLatin1String("sos"));
    }
};

QTEST_GUILESS_MAIN(TestFusion)
#include "tst_fusion.moc"
