// ingest.positions_per_s: position fixes through the event bus into device state.

#include "BenchJson.h"
#include "events/DeviceState.h"
#include "events/EventBus.h"

#include <QElapsedTimer>
#include <QRandomGenerator>

#include <thread>

namespace gwanje::bench {

namespace {
// Batches as a feed hands them over: a few thousand fixes from many devices.
std::vector<std::vector<Event>> makeBatches(int devices, int total, int batchSize)
{
    QRandomGenerator rng(2026);
    std::vector<std::vector<Event>> batches;
    std::vector<double> lat(static_cast<std::size_t>(devices)), lon(static_cast<std::size_t>(devices));
    for (int d = 0; d < devices; ++d) {
        lat[std::size_t(d)] = 37.45 + rng.generateDouble() * 0.23;
        lon[std::size_t(d)] = 126.8 + rng.generateDouble() * 0.38;
    }
    const qint64 t0 = 1'764'000'000'000;
    for (int i = 0; i < total; i += batchSize) {
        std::vector<Event> batch;
        batch.reserve(std::size_t(batchSize));
        for (int k = i; k < std::min(total, i + batchSize); ++k) {
            const int d = k % devices;
            Event e;
            e.kind = EventKind::PositionFix;
            e.source = quint32(d);
            e.sourceTimeMs = t0 + qint64(k / devices) * 10'000;
            e.receiveTimeMs = e.sourceTimeMs + 300;
            e.latitude = lat[std::size_t(d)] + 1e-5 * (k / devices);
            e.longitude = lon[std::size_t(d)];
            e.battery = 80.0f;
            batch.push_back(e);
        }
        batches.push_back(std::move(batch));
    }
    return batches;
}
} // namespace

void ingestBenchmarks(const Settings &settings)
{
    if (!settings.selected("ingest.positions_per_s"))
        return;
    const int devices = settings.quick ? 5'000 : 100'000;
    const int total = settings.quick ? 200'000 : 5'000'000;
    const auto batches = makeBatches(devices, total, 5000);

    std::vector<double> busRates, directRates;
    for (int run = 0; run < (settings.quick ? 1 : 3); ++run) {
        // Baseline: the same fixes applied straight to the device state, no bus, no threads.
        {
            DeviceState state;
            QElapsedTimer timer;
            timer.start();
            for (const auto &batch : batches)
                state.apply(batch);
            directRates.push_back(total / (double(timer.nsecsElapsed()) / 1e9));
        }
        // Through the bus: a producer thread publishes batches, the consumer applies them.
        {
            DeviceState state;
            BusLimits limits;
            limits.bulkCapacity = std::size_t(total) + 1; // measure throughput, not coalescing
            EventBus bus(limits);
            bus.start([&state](Lane, std::span<const Event> events) { state.apply(events); });
            auto copies = batches; // publish() takes ownership; copying is not part of the measure
            QElapsedTimer timer;
            timer.start();
            std::thread producer([&bus, &copies] {
                for (auto &batch : copies)
                    bus.publish(std::move(batch));
            });
            producer.join();
            bus.waitUntilIdle(600'000);
            busRates.push_back(total / (double(timer.nsecsElapsed()) / 1e9));
            bus.stop();
            if (state.counters().positions != quint64(total))
                std::fprintf(stderr, "gwanje-bench: ingest applied %llu of %d fixes\n",
                             static_cast<unsigned long long>(state.counters().positions), total);
        }
    }
    emit("ingest.positions_per_s", median(busRates), "fixes/s", median(directRates));
}

} // namespace gwanje::bench
