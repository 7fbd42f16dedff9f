#include "GeofenceMonitor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace gwanje {

namespace {
constexpr double metresPerDegree = 111'320.0;

} // namespace

GeofenceMonitor::GeofenceMonitor(GeofenceOptions options)
    : m_options(options)
{}

void GeofenceMonitor::setZones(quint32 source, const std::vector<SafeZone> &zones)
{
    if (source >= m_devices.size())
        m_devices.resize(std::size_t(source) + 1);
    Device &d = m_devices[source];
    d.zones = zones;
    d.prepared.clear();
    for (const SafeZone &z : zones)
        d.prepared.push_back(prepare(z));
    d.states.assign(zones.size(), ZoneState{});
    d.lastDistances.assign(zones.size(), 0.0);
}

bool GeofenceMonitor::isOutside(quint32 source, int zone) const
{
    return source < m_devices.size() && zone >= 0 && zone < int(m_devices[source].states.size()) &&
           m_devices[source].states[std::size_t(zone)].confirmed == Side::Outside;
}

GeofenceMonitor::PreparedZone GeofenceMonitor::prepare(const SafeZone &zone)
{
    PreparedZone p;
    if (zone.shape == SafeZone::Shape::Circle) {
        p.centerLatitude = zone.centerLatitude;
        p.centerLongitude = zone.centerLongitude;
        p.radius = zone.radiusMetres;
    } else {
        // Centre on the polygon's vertices' mean, so local metres stay accurate.
        double sumLat = 0, sumLon = 0;
        std::size_t n = 0;
        for (const Ring &ring : zone.polygon) {
            for (const QPointF &v : ring) {
                sumLon += v.x();
                sumLat += v.y();
                ++n;
            }
        }
        p.centerLatitude = n ? sumLat / double(n) : 0.0;
        p.centerLongitude = n ? sumLon / double(n) : 0.0;
        p.radius = -1.0; // marks a polygon
    }
    p.metresPerDegreeLon = metresPerDegree * std::cos(p.centerLatitude * std::numbers::pi / 180.0);
    for (const Ring &ring : zone.polygon) {
        std::vector<QPointF> local;
        for (const QPointF &v : ring) {
            local.emplace_back((v.x() - p.centerLongitude) * p.metresPerDegreeLon,
                               (v.y() - p.centerLatitude) * metresPerDegree);
            p.box.expand(local.back().x(), local.back().y());
        }
        if (zone.shape != SafeZone::Shape::Polygon)
            continue;
        for (std::size_t i = 0, j = local.size() - 1; i < local.size(); j = i++) {
            PreparedZone::Edge e;
            e.ax = local[j].x();
            e.ay = local[j].y();
            e.dx = local[i].x() - e.ax;
            e.dy = local[i].y() - e.ay;
            const double len2 = e.dx * e.dx + e.dy * e.dy;
            e.inverseLength2 = len2 > 0 ? 1.0 / len2 : 0.0;
            e.slope = e.dy != 0 ? e.dx / e.dy : 0.0;
            p.edges.push_back(e);
        }
    }
    return p;
}

double GeofenceMonitor::signedDistance(const PreparedZone &zone, double latitude, double longitude)
{
    const double x = (longitude - zone.centerLongitude) * zone.metresPerDegreeLon;
    const double y = (latitude - zone.centerLatitude) * metresPerDegree;
    if (zone.radius >= 0.0)
        return std::sqrt(x * x + y * y) - zone.radius; // metres: no overflow for hypot to guard against
    bool inside = false;
    double nearest2 = std::numeric_limits<double>::infinity();
    for (const PreparedZone::Edge &e : zone.edges) {
        const double px = x - e.ax, py = y - e.ay;
        // Even-odd: the edge spans the point's latitude and the point is west of it.
        if ((e.ay > y) != (e.ay + e.dy > y) && px < py * e.slope)
            inside = !inside;
        const double t = std::clamp((px * e.dx + py * e.dy) * e.inverseLength2, 0.0, 1.0);
        const double ex = px - t * e.dx, ey = py - t * e.dy;
        nearest2 = std::min(nearest2, ex * ex + ey * ey);
    }
    const double nearest = std::sqrt(nearest2);
    return inside ? -nearest : nearest;
}

double GeofenceMonitor::signedDistance(const SafeZone &zone, double latitude, double longitude)
{
    return signedDistance(prepare(zone), latitude, longitude);
}

bool GeofenceMonitor::active(const SafeZone &zone, qint64 sourceMs) const
{
    if (zone.activeFromHour == zone.activeToHour)
        return true;
    const qint64 seconds = (sourceMs / 1000 + qint64(m_options.utcOffsetHours) * 3600) % 86400;
    const int hour = int(seconds / 3600);
    if (zone.activeFromHour < zone.activeToHour)
        return hour >= zone.activeFromHour && hour < zone.activeToHour;
    return hour >= zone.activeFromHour || hour < zone.activeToHour; // over midnight
}

void GeofenceMonitor::applyFix(quint32 source, Device &d, const Event &fix, std::vector<GeofenceTransition> &out)
{
    const qint64 t = fix.sourceTimeMs;
    // A fix whose own accuracy is worse than the band widens the band for that fix.
    const double band = std::max(m_options.hysteresisMetres, std::isfinite(fix.accuracy) ? double(fix.accuracy) : 0.0);
    for (std::size_t z = 0; z < d.zones.size(); ++z) {
        const SafeZone &zone = d.zones[z];
        ZoneState &state = d.states[z];
        const double distance = signedDistance(d.prepared[z], fix.latitude, fix.longitude);
        const double previous = d.lastDistances[z];
        d.lastDistances[z] = distance;
        if (!active(zone, t)) {
            state = ZoneState{}; // outside its hours the zone has no opinion
            continue;
        }
        if (d.lastMs > 0 && (previous > 0) != (distance > 0) && previous != distance) {
            const double f = std::clamp(previous / (previous - distance), 0.0, 1.0);
            state.zeroCrossedMs = d.lastMs + qint64(f * double(t - d.lastMs));
        }
        if (state.pending != Side::Unknown) {
            state.pendingSum += state.pending == Side::Outside ? distance : -distance;
            ++state.pendingFixes;
        }
        const Side observed = distance > band ? Side::Outside : (distance < -band ? Side::Inside : Side::Unknown);
        if (observed == Side::Unknown)
            continue; // within the band: neither starts, confirms nor cancels a change
        const bool scheduled = zone.activeFromHour != zone.activeToHour;
        if (state.confirmed == Side::Unknown && !(scheduled && observed == Side::Outside)) {
            // First sight: take the side as it is. A scheduled zone (e.g. home at night) is the
            // exception: being outside when it applies is the alarm.
            state.confirmed = observed;
            state.pending = Side::Unknown;
            continue;
        }
        if (observed == state.confirmed) {
            state.pending = Side::Unknown; // back on the confirmed side: the change was jitter
            continue;
        }
        if (state.pending != observed) {
            // A change begins, at the moment the border was crossed (when known).
            state.pending = observed;
            state.pendingSinceMs = state.zeroCrossedMs > 0 && state.zeroCrossedMs <= t ? state.zeroCrossedMs : t;
            state.pendingStart = std::abs(distance);
            state.pendingSum = 0.0;
            state.pendingFixes = 0;
        }
        // The evidence: the later fixes must be, on average, beyond the band; a change seen by a
        // single sparse fix must be twice as far.
        const bool sparse = state.pendingFixes == 0; // the dwell passed between two fixes
        const double evidence = sparse ? state.pendingStart / 2.0 : state.pendingSum / state.pendingFixes;
        if (t - state.pendingSinceMs >= m_options.dwellMs && (sparse || state.pendingFixes >= 3) && evidence > band) {
            state.confirmed = observed;
            state.pending = Side::Unknown;
            out.push_back({observed == Side::Outside ? GeofenceTransition::Kind::Exit : GeofenceTransition::Kind::Enter,
                           source, int(z), state.pendingSinceMs, t, fix.latitude, fix.longitude});
        }
    }
    d.lastMs = t;
    d.lastLatitude = fix.latitude;
    d.lastLongitude = fix.longitude;
}

void GeofenceMonitor::apply(std::span<const Event> events, std::vector<GeofenceTransition> &out)
{
    // Per device in source-time order, so a shuffled late batch is judged as it happened.
    m_sorted.clear();
    for (const Event &e : events) {
        if (e.kind == EventKind::PositionFix && e.source < m_devices.size() && !m_devices[e.source].zones.empty())
            m_sorted.push_back(&e);
    }
    // Usually each device's fixes already come in time order; sort only when they do not.
    if (m_seenInBatch.size() < m_devices.size())
        m_seenInBatch.resize(m_devices.size(), 0);
    bool ordered = true;
    for (const Event *e : m_sorted) {
        qint64 &seen = m_seenInBatch[e->source];
        ordered = ordered && e->sourceTimeMs > seen;
        seen = e->sourceTimeMs;
    }
    for (const Event *e : m_sorted)
        m_seenInBatch[e->source] = 0;
    if (!ordered) {
        std::stable_sort(m_sorted.begin(), m_sorted.end(), [](const Event *a, const Event *b) {
            return a->source != b->source ? a->source < b->source : a->sourceTimeMs < b->sourceTimeMs;
        });
    }
    for (const Event *e : m_sorted) {
        Device &d = m_devices[e->source];
        if (e->sourceTimeMs <= d.lastMs) {
            ++m_stale; // older than what was already judged: history, not news
            continue;
        }
        applyFix(e->source, d, *e, out);
    }
}

} // namespace gwanje
