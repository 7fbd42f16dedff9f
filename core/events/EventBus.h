#pragma once

#include "Event.h"

#include <array>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace gwanje {

struct BusLimits
{
    // Pending events per lane before the overload policy applies (about 100 bytes each).
    std::size_t bulkCapacity = 500'000;
    std::size_t statusCapacity = 500'000;
    // Events handed to the consumer at once; the critical lane is checked between chunks, so an
    // SOS waits at most for one chunk of position fixes.
    std::size_t chunk = 2048;
    // A producer that can slow down (a simulation, a file replay) waits in waitForRoom() while more
    // than this many events are pending on the bus and downstream (the store's writer), until half of
    // it is left; a live feed never waits: the overload policy above is what applies to it.
    std::size_t paceHighWater = 200'000;
};

struct LaneStats
{
    quint64 published = 0;
    quint64 delivered = 0;
    quint64 coalesced = 0; // replaced by a newer event of the same source (and quantity)
    quint64 dropped = 0;   // bulk only, when coalescing was not enough
    std::size_t pending = 0;
    std::size_t highWater = 0;
};

// The in-process event bus: any number of producer threads publish; one consumer thread
// receives batches, lane by lane, critical first. Overload policy (counted and logged):
// - Critical (SOS, falls): unbounded, never dropped or coalesced.
// - Status: over capacity, sensor readings are coalesced per source and quantity (the latest
//   wins); state changes are never dropped.
// - Bulk (positions): over capacity, coalesced per device (the latest by source time wins);
//   if still over capacity, the oldest fixes are dropped.
// publish() is thread-safe; the handler runs on the bus's own thread.
class EventBus
{
public:
    using Handler = std::function<void(Lane lane, std::span<const Event> events)>;

    explicit EventBus(BusLimits limits = {});
    ~EventBus();
    EventBus(const EventBus &) = delete;
    EventBus &operator=(const EventBus &) = delete;

    void start(Handler handler);
    // Delivers everything pending, then joins the consumer thread.
    void stop();

    void publish(const Event &event);
    void publish(std::vector<Event> events);

    // What waits downstream of the handler (the store's writer queue), any thread; the default is none.
    void setDownstreamBacklog(std::function<std::size_t()> backlog);
    // For producers that can slow down: blocks while the bus and what is downstream hold more than
    // BusLimits::paceHighWater events, until half of that is left or `stop` turns true. This is what
    // keeps memory bounded when a simulation or replay outruns the disk. Thread-safe.
    void waitForRoom(const std::atomic<bool> &stop);
    // Milliseconds producers spent in waitForRoom(), in all.
    quint64 pacedMs() const { return m_pacedMs.load(std::memory_order_relaxed); }

    // Blocks until every published event was handed to the handler and it returned.
    bool waitUntilIdle(int timeoutMs);
    std::array<LaneStats, laneCount> stats() const;

private:
    void run();
    void enqueueLocked(const Event &event);
    void applyOverloadPolicyLocked(Lane lane);
    bool anyPendingLocked() const;
    void deliver(Lane lane, std::vector<Event> &batch);
    void deliverCritical();

    BusLimits m_limits;
    Handler m_handler;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    std::array<std::vector<Event>, laneCount> m_lanes;
    std::array<LaneStats, laneCount> m_stats{};
    std::atomic<bool> m_criticalWaiting{false};
    std::size_t m_inFlight = 0; // taken by the consumer, not yet handled
    bool m_stopping = false;
    std::thread m_thread;
    std::vector<std::int64_t> m_slot; // scratch for coalescing, indexed by source
    qint64 m_lastOverloadLogMs = 0;
    std::function<std::size_t()> m_downstream; // set before producers start
    std::atomic<quint64> m_pacedMs{0};
};

} // namespace gwanje
