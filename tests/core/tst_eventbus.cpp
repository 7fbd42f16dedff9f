// The event bus: lanes, priority of SOS over a flood of positions, and the overload policy.
#include "TestSupport.h"
#include "events/DeviceState.h"
#include "events/EventBus.h"

#include <QRegularExpression>
#include <QTest>

#include <atomic>
#include <mutex>
#include <thread>

using namespace gwanje;

namespace {
Event fix(quint32 source, qint64 t, double lat = 37.5, double lon = 127.0)
{
    Event e;
    e.kind = EventKind::PositionFix;
    e.source = source;
    e.sourceTimeMs = t;
    e.receiveTimeMs = t;
    e.latitude = lat;
    e.longitude = lon;
    return e;
}

Event of(EventKind kind, quint32 source, qint64 t)
{
    Event e = fix(source, t);
    e.kind = kind;
    return e;
}

// Collects what the bus delivers, in order, from the consumer thread.
struct Recorder
{
    std::mutex mutex;
    std::vector<std::pair<Lane, Event>> seen;
    EventBus::Handler handler()
    {
        return [this](Lane lane, std::span<const Event> events) {
            std::lock_guard lock(mutex);
            for (const Event &e : events)
                seen.emplace_back(lane, e);
        };
    }
};
} // namespace

class TestEventBus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void lanesOfKinds()
    {
        QCOMPARE(laneOf(EventKind::Sos), Lane::Critical);
        QCOMPARE(laneOf(EventKind::Fall), Lane::Critical);
        QCOMPARE(laneOf(EventKind::PositionFix), Lane::Bulk);
        QCOMPARE(laneOf(EventKind::ApStatus), Lane::Status);
        QCOMPARE(laneOf(EventKind::SensorReading), Lane::Status);
    }

    void deliversEverythingInOrderPerLane()
    {
        Recorder r;
        EventBus bus;
        bus.start(r.handler());
        std::vector<std::thread> producers;
        for (quint32 p = 0; p < 4; ++p) {
            producers.emplace_back([&bus, p] {
                for (int i = 1; i <= 5000; ++i) {
                    bus.publish(fix(p, i));
                    if (i % 1000 == 0)
                        bus.publish(of(EventKind::CameraHealth, p, i));
                }
            });
        }
        for (auto &t : producers)
            t.join();
        QVERIFY(bus.waitUntilIdle(10000));
        QCOMPARE(int(r.seen.size()), 4 * 5000 + 4 * 5);
        std::array<qint64, 4> last{};
        for (const auto &[lane, e] : r.seen) {
            QCOMPARE(lane, e.lane());
            if (e.kind == EventKind::PositionFix) {
                QVERIFY(e.sourceTimeMs > last[e.source]); // per producer, order is kept
                last[e.source] = e.sourceTimeMs;
            }
        }
        const auto stats = bus.stats();
        QCOMPARE(stats[std::size_t(Lane::Bulk)].delivered, quint64(20000));
        QCOMPARE(stats[std::size_t(Lane::Status)].delivered, quint64(20));
        QCOMPARE(stats[std::size_t(Lane::Bulk)].coalesced, quint64(0));
    }

    void sosOvertakesAFloodOfPositions()
    {
        // A slow consumer with a million fixes queued: an SOS published now must be delivered
        // before more than one chunk of positions.
        BusLimits limits;
        limits.bulkCapacity = 2'000'000;
        limits.chunk = 1000;
        EventBus bus(limits);
        std::atomic<int> bulkDelivered{0};
        std::atomic<int> bulkAtSosPublish{-1};
        std::atomic<int> bulkAtSosDelivery{-1};
        std::atomic<bool> started{false};
        bus.start([&](Lane lane, std::span<const Event> events) {
            if (lane == Lane::Critical) {
                bulkAtSosDelivery = bulkDelivered.load();
                return;
            }
            started = true;
            std::this_thread::sleep_for(std::chrono::microseconds(200)); // a busy fusion thread
            bulkDelivered += int(events.size());
        });
        std::vector<Event> flood;
        for (quint32 i = 0; i < 1'000'000; ++i)
            flood.push_back(fix(i % 50000, 1 + i / 50000));
        bus.publish(std::move(flood));
        QTRY_VERIFY(started.load());
        bus.publish(of(EventKind::Sos, 7, 99));
        // Read after publishing: a descheduled test thread can only make the gap look smaller
        // than it is, never larger, so the check does not depend on the machine's load.
        bulkAtSosPublish = bulkDelivered.load();
        QTRY_VERIFY_WITH_TIMEOUT(bulkAtSosDelivery.load() >= 0, 5000);
        QVERIFY2(bulkAtSosDelivery - bulkAtSosPublish <= int(2 * limits.chunk),
                 qPrintable(QStringLiteral("%1 positions went first").arg(bulkAtSosDelivery - bulkAtSosPublish)));
        QVERIFY(bulkAtSosDelivery < 1'000'000);
        bus.stop();
        QCOMPARE(bulkDelivered.load(), 1'000'000);
    }

    void positionsCoalescePerDeviceUnderOverload()
    {
        BusLimits limits;
        limits.bulkCapacity = 1000;
        EventBus bus(limits);
        // Not started: everything stays queued and the policy applies on publish.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("bulk lane over capacity")));
        std::vector<Event> events;
        for (int round = 0; round < 10; ++round) {
            for (quint32 d = 0; d < 500; ++d) {
                // Round 3 is a late upload of the newest fix: source time wins, not arrival.
                const qint64 t = round == 3 ? 1000 : round;
                events.push_back(fix(d, t, 37.0 + round * 0.01));
            }
        }
        bus.publish(std::move(events));
        const auto stats = bus.stats()[std::size_t(Lane::Bulk)];
        QCOMPARE(stats.coalesced, quint64(4500));
        QCOMPARE(stats.dropped, quint64(0));
        QCOMPARE(stats.pending, std::size_t(500));
        QCOMPARE(stats.highWater, std::size_t(5000));
        Recorder r;
        bus.start(r.handler());
        QVERIFY(bus.waitUntilIdle(5000));
        QCOMPARE(int(r.seen.size()), 500);
        for (const auto &[lane, e] : r.seen) {
            QCOMPARE(e.sourceTimeMs, qint64(1000));
            QCOMPARE(e.latitude, 37.03);
        }
    }

    void positionsDropOldestWhenCoalescingIsNotEnough()
    {
        BusLimits limits;
        limits.bulkCapacity = 100;
        EventBus bus(limits);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("bulk lane over capacity.*dropped 400")));
        std::vector<Event> events;
        for (quint32 d = 0; d < 500; ++d)
            events.push_back(fix(d, 1));
        bus.publish(std::move(events));
        QCOMPARE(bus.stats()[std::size_t(Lane::Bulk)].dropped, quint64(400));
        QCOMPARE(bus.stats()[std::size_t(Lane::Bulk)].pending, std::size_t(100));
    }

    void criticalIsNeverDroppedOrCoalesced()
    {
        BusLimits limits;
        limits.bulkCapacity = 10;
        limits.statusCapacity = 10;
        EventBus bus(limits);
        std::vector<Event> events;
        for (int i = 1; i <= 10000; ++i)
            events.push_back(of(EventKind::Sos, 1, i)); // same source, many SOS
        bus.publish(std::move(events));
        QCOMPARE(bus.stats()[std::size_t(Lane::Critical)].pending, std::size_t(10000));
        Recorder r;
        bus.start(r.handler());
        QVERIFY(bus.waitUntilIdle(5000));
        QCOMPARE(int(r.seen.size()), 10000);
    }

    void statusKeepsStateChangesAndCoalescesReadings()
    {
        BusLimits limits;
        limits.statusCapacity = 50;
        EventBus bus(limits);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("status lane over capacity")));
        std::vector<Event> events;
        for (int i = 1; i <= 100; ++i) {
            Event down = of(EventKind::ApStatus, 3, i);
            down.status = i % 2;
            events.push_back(down);
            Event pm = of(EventKind::SensorReading, 4, i);
            pm.quantity = Quantity::Pm10;
            pm.value = float(i);
            events.push_back(pm);
        }
        bus.publish(std::move(events));
        Recorder r;
        bus.start(r.handler());
        QVERIFY(bus.waitUntilIdle(5000));
        int ap = 0, readings = 0;
        for (const auto &[lane, e] : r.seen) {
            ap += e.kind == EventKind::ApStatus;
            if (e.kind == EventKind::SensorReading) {
                ++readings;
                QCOMPARE(e.value, 100.0f);
            }
        }
        QCOMPARE(ap, 100);
        QCOMPARE(readings, 1);
    }

    void stopDeliversWhatIsPending()
    {
        Recorder r;
        EventBus bus;
        std::vector<Event> events;
        for (quint32 i = 0; i < 10000; ++i)
            events.push_back(fix(i, 1));
        bus.publish(std::move(events));
        bus.start(r.handler());
        bus.stop();
        QCOMPARE(int(r.seen.size()), 10000);
    }

    void deviceStateIgnoresLateFixes()
    {
        DeviceState state;
        std::vector<Event> events{fix(2, 100, 37.1), fix(2, 300, 37.3), fix(2, 200, 37.2), fix(0, 50, 37.0)};
        events.push_back(of(EventKind::Sos, 5, 10));
        state.apply(events);
        QCOMPARE(state.size(), 6);
        QCOMPARE(state.latitude(2), 37.3);
        QCOMPARE(state.positionTimeMs(2), qint64(300));
        QCOMPARE(state.counters().positions, quint64(3));
        QCOMPARE(state.counters().stale, quint64(1));
        QVERIFY(state.inSos(5));
        QVERIFY(!state.inSos(2));
        QVERIFY(!state.hasPosition(1));
        QCOMPARE(state.devicesWithPosition(), 3);
    }

    void validation_data()
    {
        QTest::addColumn<Event>("event");
        QTest::addColumn<bool>("valid");
        const qint64 t = 1'764'000'000'000; // 2025-11-24
        QTest::newRow("good fix") << fix(1, t) << true;
        QTest::newRow("nan lat") << fix(1, t, std::nan("")) << false;
        QTest::newRow("lat 91") << fix(1, t, 91.0) << false;
        QTest::newRow("no time") << fix(1, 0) << false;
        QTest::newRow("time in 1970") << fix(1, 5) << false;
        QTest::newRow("time in 1999") << fix(1, earliestSourceTimeMs - 1) << false;
        QTest::newRow("time at 2000") << fix(1, earliestSourceTimeMs) << true;
        QTest::newRow("time at the end of 2099") << fix(1, endOfSourceTimeMs - 1) << true;
        QTest::newRow("time in 2100") << fix(1, endOfSourceTimeMs) << false;
        QTest::newRow("time in year 291 million") << fix(1, 9'200'000'000'000'000'000) << false;
        Event sos = of(EventKind::Sos, 1, t);
        sos.latitude = sos.longitude = std::nan("");
        QTest::newRow("sos without position") << sos << true;
        Event reading = of(EventKind::SensorReading, 1, t);
        QTest::newRow("reading without quantity") << reading << false;
        reading.quantity = Quantity::Pm25;
        reading.value = 12.0f;
        QTest::newRow("reading") << reading << true;
    }
    void validation()
    {
        QFETCH(Event, event);
        QFETCH(bool, valid);
        QCOMPARE(!validate(event).has_value(), valid);
    }
};

QTEST_GUILESS_MAIN(TestEventBus)
#include "tst_eventbus.moc"
