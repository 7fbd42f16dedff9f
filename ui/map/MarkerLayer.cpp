#include "MarkerLayer.h"

#include <algorithm>
#include <cmath>

namespace gwanje {

MarkerLayer::MarkerLayer() = default;

void MarkerLayer::clear()
{
    m_x.clear();
    m_y.clear();
    m_kind.clear();
    m_state.clear();
    m_ref.clear();
    m_cell.clear();
    m_cellSlot.clear();
    m_cells.clear();
    m_coIndex.clear();
    m_coCount.clear();
    m_maxColocated = 1;
    m_trackSlot.clear();
    m_trackPoints.clear();
    m_trackHead.clear();
    m_trackCount.clear();
}

void MarkerLayer::reserve(int n)
{
    const auto count = std::size_t(std::max(0, n));
    m_x.reserve(count);
    m_y.reserve(count);
    m_kind.reserve(count);
    m_state.reserve(count);
    m_ref.reserve(count);
    m_cell.reserve(count);
    m_cellSlot.reserve(count);
    m_trackSlot.reserve(count);
}

int MarkerLayer::add(quint32 ref, MarkerKind kind, MarkerState state, QPointF world)
{
    if (!std::isfinite(world.x()) || !std::isfinite(world.y()))
        return -1;
    const int i = size();
    if (i == 0)
        m_origin = world;
    m_x.push_back(world.x());
    m_y.push_back(world.y());
    m_kind.push_back(kind);
    m_state.push_back(state);
    m_ref.push_back(ref);
    m_cell.push_back(0);
    m_cellSlot.push_back(0);
    m_trackSlot.push_back(-1);
    insertInCell(i, cellKey(world.x(), world.y()));
    if (!m_coIndex.empty()) {
        m_coIndex.push_back(0);
        m_coCount.push_back(1);
    }
    return i;
}

void MarkerLayer::insertInCell(int i, quint64 key)
{
    std::vector<quint32> &list = m_cells[key];
    m_cell[std::size_t(i)] = key;
    m_cellSlot[std::size_t(i)] = quint32(list.size());
    list.push_back(quint32(i));
}

void MarkerLayer::removeFromCell(int i)
{
    const auto it = m_cells.find(m_cell[std::size_t(i)]);
    std::vector<quint32> &list = it->second;
    const quint32 slot = m_cellSlot[std::size_t(i)];
    const quint32 last = list.back();
    list[slot] = last;
    m_cellSlot[last] = slot;
    list.pop_back();
    if (list.empty())
        m_cells.erase(it);
}

void MarkerLayer::move(int i, QPointF world, qint64 timeMs, bool recordTrack)
{
    const auto u = std::size_t(i);
    if (!std::isfinite(world.x()) || !std::isfinite(world.y()))
        return;
    if (world.x() == m_x[u] && world.y() == m_y[u])
        return;
    if (recordTrack) {
        if (m_trackSlot[u] < 0) {
            m_trackSlot[u] = qint32(m_trackHead.size());
            m_trackHead.push_back(0);
            m_trackCount.push_back(0);
            m_trackPoints.resize(m_trackPoints.size() + maxTrackPoints);
        }
        const auto slot = std::size_t(m_trackSlot[u]);
        const int head = m_trackHead[slot];
        m_trackPoints[slot * maxTrackPoints + std::size_t(head)] = {float(m_x[u] - m_origin.x()),
                                                                    float(m_y[u] - m_origin.y()), timeMs};
        m_trackHead[slot] = quint8((head + 1) % maxTrackPoints);
        m_trackCount[slot] = quint8(std::min(int(m_trackCount[slot]) + 1, maxTrackPoints));
    }
    m_x[u] = world.x();
    m_y[u] = world.y();
    const quint64 key = cellKey(world.x(), world.y());
    if (key != m_cell[u]) {
        removeFromCell(i);
        insertInCell(i, key);
    }
}

int MarkerLayer::trackLength(int i) const
{
    const qint32 slot = m_trackSlot[std::size_t(i)];
    return slot < 0 ? 0 : m_trackCount[std::size_t(slot)];
}

MarkerLayer::TrackPoint MarkerLayer::trackPoint(int i, int k) const
{
    const auto slot = std::size_t(m_trackSlot[std::size_t(i)]);
    const int count = m_trackCount[slot];
    const int oldest = (m_trackHead[slot] - count + maxTrackPoints) % maxTrackPoints;
    return m_trackPoints[slot * maxTrackPoints + std::size_t((oldest + k) % maxTrackPoints)];
}

void MarkerLayer::trimTracks(qint64 sinceMs)
{
    for (std::size_t slot = 0; slot < m_trackCount.size(); ++slot) {
        int count = m_trackCount[slot];
        const int oldest = (m_trackHead[slot] - count + maxTrackPoints) % maxTrackPoints;
        int dropped = 0;
        while (dropped < count &&
               m_trackPoints[slot * maxTrackPoints + std::size_t((oldest + dropped) % maxTrackPoints)].timeMs < sinceMs)
            ++dropped;
        m_trackCount[slot] = quint8(count - dropped);
    }
}

void MarkerLayer::updateColocation()
{
    const std::size_t n = m_x.size();
    m_maxColocated = 1;
    m_coIndex.assign(n, 0);
    m_coCount.assign(n, 1);
    std::vector<quint32> order(n);
    for (std::size_t i = 0; i < n; ++i)
        order[i] = quint32(i);
    std::sort(order.begin(), order.end(), [this](quint32 a, quint32 b) {
        return m_x[a] != m_x[b] ? m_x[a] < m_x[b] : (m_y[a] != m_y[b] ? m_y[a] < m_y[b] : a < b);
    });
    for (std::size_t start = 0; start < n;) {
        std::size_t end = start + 1;
        while (end < n && m_x[order[end]] == m_x[order[start]] && m_y[order[end]] == m_y[order[start]])
            ++end;
        const auto count = quint16(std::min<std::size_t>(end - start, 0xffff));
        m_maxColocated = std::max<int>(m_maxColocated, count);
        for (std::size_t k = start; k < end; ++k) {
            m_coIndex[order[k]] = quint16(std::min<std::size_t>(k - start, 0xffff));
            m_coCount[order[k]] = count;
        }
        start = end;
    }
}

} // namespace gwanje
