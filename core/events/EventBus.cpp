#include "EventBus.h"

#include "Logging.h"

#include <QDateTime>

#include <algorithm>
#include <chrono>
#include <thread>

namespace gwanje {

EventBus::EventBus(BusLimits limits)
    : m_limits(limits)
{
    m_limits.chunk = std::max<std::size_t>(1, m_limits.chunk);
}

EventBus::~EventBus()
{
    stop();
}

void EventBus::start(Handler handler)
{
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable())
        return;
    m_handler = std::move(handler);
    m_stopping = false;
    m_thread = std::thread([this] { run(); });
}

void EventBus::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_thread.joinable())
            return;
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void EventBus::enqueueLocked(const Event &event)
{
    const auto lane = std::size_t(event.lane());
    m_lanes[lane].push_back(event);
    ++m_stats[lane].published;
    if (event.lane() == Lane::Critical)
        m_criticalWaiting.store(true, std::memory_order_release);
}

void EventBus::setDownstreamBacklog(std::function<std::size_t()> backlog)
{
    std::lock_guard lock(m_mutex);
    m_downstream = std::move(backlog);
}

void EventBus::waitForRoom(const std::atomic<bool> &stop)
{
    const auto backlog = [this] {
        std::function<std::size_t()> downstream;
        std::size_t n = 0;
        {
            std::lock_guard lock(m_mutex);
            for (const auto &lane : m_lanes)
                n += lane.size();
            n += m_inFlight;
            downstream = m_downstream;
        }
        return n + (downstream ? downstream() : 0);
    };
    if (backlog() <= m_limits.paceHighWater)
        return;
    // Polled: the store's queue has no signal for "drained to here", and a producer that waits a
    // few milliseconds longer than needed costs nothing.
    const auto start = std::chrono::steady_clock::now();
    while (!stop.load(std::memory_order_relaxed) && backlog() > m_limits.paceHighWater / 2) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping)
                break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    m_pacedMs.fetch_add(
        quint64(
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count()),
        std::memory_order_relaxed);
}

void EventBus::publish(const Event &event)
{
    {
        std::lock_guard lock(m_mutex);
        enqueueLocked(event);
        applyOverloadPolicyLocked(event.lane());
    }
    m_wake.notify_one();
}

void EventBus::publish(std::vector<Event> events)
{
    if (events.empty())
        return;
    {
        std::lock_guard lock(m_mutex);
        bool touched[laneCount] = {};
        for (const Event &e : events) {
            enqueueLocked(e);
            touched[std::size_t(e.lane())] = true;
        }
        for (int lane = 0; lane < laneCount; ++lane) {
            if (touched[lane])
                applyOverloadPolicyLocked(Lane(lane));
        }
    }
    m_wake.notify_one();
}

void EventBus::applyOverloadPolicyLocked(Lane lane)
{
    std::vector<Event> &queue = m_lanes[std::size_t(lane)];
    LaneStats &stats = m_stats[std::size_t(lane)];
    stats.highWater = std::max(stats.highWater, queue.size());
    const std::size_t capacity = lane == Lane::Bulk     ? m_limits.bulkCapacity
                                 : lane == Lane::Status ? m_limits.statusCapacity
                                                        : 0;
    if (capacity == 0 || queue.size() <= capacity)
        return;

    // Keep, per key, only the newest event by source time (later arrival wins a tie). Keys are
    // the source for positions and source * 16 + quantity for sensor readings; other status
    // events are always kept.
    auto keyOf = [lane](const Event &e) -> std::int64_t {
        if (lane == Lane::Bulk)
            return std::int64_t(e.source);
        if (e.kind == EventKind::SensorReading)
            return std::int64_t(e.source) * 16 + std::int64_t(e.quantity);
        return -1;
    };
    std::int64_t maxKey = -1;
    for (const Event &e : queue)
        maxKey = std::max(maxKey, keyOf(e));
    m_slot.assign(std::size_t(maxKey + 1), -1);
    for (std::size_t i = 0; i < queue.size(); ++i) {
        const std::int64_t key = keyOf(queue[i]);
        if (key < 0)
            continue;
        std::int64_t &slot = m_slot[std::size_t(key)];
        if (slot < 0 || queue[std::size_t(slot)].sourceTimeMs <= queue[i].sourceTimeMs)
            slot = std::int64_t(i);
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < queue.size(); ++i) {
        const std::int64_t key = keyOf(queue[i]);
        if (key < 0 || m_slot[std::size_t(key)] == std::int64_t(i))
            queue[kept++] = std::move(queue[i]);
    }
    const std::size_t coalesced = queue.size() - kept;
    queue.resize(kept);
    stats.coalesced += coalesced;

    std::size_t dropped = 0;
    if (lane == Lane::Bulk && queue.size() > capacity) {
        dropped = queue.size() - capacity;
        queue.erase(queue.begin(), queue.begin() + std::ptrdiff_t(dropped));
        stats.dropped += dropped;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - m_lastOverloadLogMs > 10'000) {
        m_lastOverloadLogMs = now;
        qCWarning(lcBus, "%s lane over capacity (%zu): coalesced %zu, dropped %zu; totals coalesced %llu, dropped %llu",
                  qUtf8Printable(laneName(lane)), capacity, coalesced, dropped,
                  static_cast<unsigned long long>(stats.coalesced), static_cast<unsigned long long>(stats.dropped));
    }
}

bool EventBus::anyPendingLocked() const
{
    return std::any_of(m_lanes.begin(), m_lanes.end(), [](const auto &q) { return !q.empty(); });
}

void EventBus::deliver(Lane lane, std::vector<Event> &batch)
{
    m_handler(lane, std::span<const Event>(batch.data(), batch.size()));
    std::lock_guard lock(m_mutex);
    m_stats[std::size_t(lane)].delivered += batch.size();
    m_inFlight -= batch.size();
}

void EventBus::deliverCritical()
{
    std::vector<Event> critical;
    {
        std::lock_guard lock(m_mutex);
        critical.swap(m_lanes[std::size_t(Lane::Critical)]);
        m_criticalWaiting.store(false, std::memory_order_release);
        m_inFlight += critical.size();
    }
    if (!critical.empty())
        deliver(Lane::Critical, critical);
}

void EventBus::run()
{
    std::vector<Event> taken;
    std::vector<Event> chunk;
    for (;;) {
        Lane lane = Lane::Critical;
        {
            std::unique_lock lock(m_mutex);
            m_idle.notify_all();
            m_wake.wait(lock, [this] { return m_stopping || anyPendingLocked(); });
            if (!anyPendingLocked())
                return; // stopping, and everything was delivered
            for (int l = 0; l < laneCount; ++l) {
                if (!m_lanes[std::size_t(l)].empty()) {
                    lane = Lane(l);
                    break;
                }
            }
            taken.clear();
            taken.swap(m_lanes[std::size_t(lane)]);
            if (lane == Lane::Critical)
                m_criticalWaiting.store(false, std::memory_order_release);
            m_inFlight += taken.size();
        }
        if (lane == Lane::Critical) {
            deliver(lane, taken);
            continue;
        }
        // Hand the lane over in chunks; anything critical that arrives meanwhile goes first.
        for (std::size_t first = 0; first < taken.size(); first += m_limits.chunk) {
            if (m_criticalWaiting.load(std::memory_order_acquire))
                deliverCritical();
            const std::size_t last = std::min(taken.size(), first + m_limits.chunk);
            chunk.assign(std::make_move_iterator(taken.begin() + std::ptrdiff_t(first)),
                         std::make_move_iterator(taken.begin() + std::ptrdiff_t(last)));
            deliver(lane, chunk);
        }
    }
}

bool EventBus::waitUntilIdle(int timeoutMs)
{
    std::unique_lock lock(m_mutex);
    return m_idle.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                           [this] { return !anyPendingLocked() && m_inFlight == 0; });
}

std::array<LaneStats, laneCount> EventBus::stats() const
{
    std::lock_guard lock(m_mutex);
    auto stats = m_stats;
    for (int l = 0; l < laneCount; ++l)
        stats[std::size_t(l)].pending = m_lanes[std::size_t(l)].size();
    return stats;
}

} // namespace gwanje
