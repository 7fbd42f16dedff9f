#include "RoadNetwork.h"

#include "Logging.h"
#include "data/Gdal.h"
#include "data/GdalPtr_p.h"

#include <ogrsf_frmts.h>

#include <QFileInfo>
#include <QHash>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <queue>

namespace gwanje {

namespace {
constexpr double metresPerDegree = 111'320.0;

bool walkable(const char *highway)
{
    if (!highway || !*highway)
        return false;
    const QByteArray h(highway);
    return !(h.startsWith("motorway") || h.startsWith("trunk") || h == "construction" || h == "proposed" ||
             h == "raceway" || h == "bus_guideway");
}

struct Builder
{
    QHash<QPair<qint64, qint64>, int> index; // coordinates in 1e-7 degrees -> node
    std::vector<QPointF> nodes;
    std::vector<std::pair<int, int>> edges;

    int nodeAt(double lon, double lat)
    {
        const QPair<qint64, qint64> key{std::llround(lon * 1e7), std::llround(lat * 1e7)};
        const auto it = index.constFind(key);
        if (it != index.cend())
            return *it;
        const int n = int(nodes.size());
        nodes.emplace_back(lon, lat);
        index.insert(key, n);
        return n;
    }
    void addLine(const OGRLineString *line)
    {
        int previous = -1;
        for (int i = 0; i < line->getNumPoints(); ++i) {
            const int n = nodeAt(line->getX(i), line->getY(i));
            if (previous >= 0 && previous != n)
                edges.emplace_back(previous, n);
            previous = n;
        }
    }
    void addGeometry(const OGRGeometry *g)
    {
        if (!g)
            return;
        switch (wkbFlatten(g->getGeometryType())) {
        case wkbLineString:
            addLine(g->toLineString());
            break;
        case wkbMultiLineString:
            for (const OGRLineString *part : *g->toMultiLineString())
                addLine(part);
            break;
        default:
            break;
        }
    }
};
} // namespace

std::shared_ptr<const RoadNetwork> RoadNetwork::load(const QStringList &files, QString *error)
{
    Gdal::ensureInitialized();
    Builder b;
    QStringList problems;
    int ways = 0;
    for (const QString &file : files) {
        Gdal::DatasetPtr ds(static_cast<GDALDataset *>(GDALOpenEx(
            QFile::encodeName(file).constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
        if (!ds) {
            problems.append(QStringLiteral("%1: cannot be read").arg(QFileInfo(file).fileName()));
            continue;
        }
        OGRLayer *layer = ds->GetLayerByName("lines");
        if (layer && QByteArray(ds->GetDriverName()) == "OSM") {
            // The OSM driver reads the file once per layer unless told which one is wanted.
            ds->ExecuteSQL("SET interest_layers = lines", nullptr, nullptr);
        }
        if (!layer)
            layer = ds->GetLayer(0);
        if (!layer || layer->GetLayerDefn()->GetFieldIndex("highway") < 0) {
            problems.append(QStringLiteral("%1: no layer with a highway field").arg(QFileInfo(file).fileName()));
            continue;
        }
        // Reprojected to WGS84 when the file is in another CRS.
        Gdal::TransformPtr transform;
        if (const OGRSpatialReference *srs = layer->GetSpatialRef()) {
            OGRSpatialReference wgs84;
            wgs84.importFromEPSG(4326);
            wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            if (!srs->IsSame(&wgs84))
                transform.reset(OGRCreateCoordinateTransformation(srs, &wgs84));
        }
        const int field = layer->GetLayerDefn()->GetFieldIndex("highway");
        layer->ResetReading();
        while (OGRFeature *f = layer->GetNextFeature()) {
            if (walkable(f->GetFieldAsString(field))) {
                OGRGeometry *g = f->GetGeometryRef();
                if (g && transform)
                    g->transform(transform.get());
                b.addGeometry(g);
                ++ways;
            }
            OGRFeature::DestroyFeature(f);
        }
    }
    if (error)
        *error = problems.join(QStringLiteral("; "));
    if (b.edges.empty())
        return nullptr;

    auto net = std::shared_ptr<RoadNetwork>(new RoadNetwork);
    net->m_nodes = std::move(b.nodes);
    const std::size_t n = net->m_nodes.size();
    std::vector<int> degree(n + 1, 0);
    for (const auto &[u, v] : b.edges) {
        ++degree[std::size_t(u)];
        ++degree[std::size_t(v)];
    }
    net->m_firstEdge.assign(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i)
        net->m_firstEdge[i + 1] = net->m_firstEdge[i] + degree[i];
    net->m_targets.resize(std::size_t(net->m_firstEdge[n]));
    net->m_lengths.resize(net->m_targets.size());
    std::vector<int> fill(net->m_firstEdge.begin(), net->m_firstEdge.end() - 1);
    for (const auto &[u, v] : b.edges) {
        const float length = float(net->metres(u, v));
        net->m_longestEdge = std::max(net->m_longestEdge, double(length));
        net->m_targets[std::size_t(fill[std::size_t(u)])] = v;
        net->m_lengths[std::size_t(fill[std::size_t(u)]++)] = length;
        net->m_targets[std::size_t(fill[std::size_t(v)])] = u;
        net->m_lengths[std::size_t(fill[std::size_t(v)]++)] = length;
    }
    // Connected parts, by breadth-first search.
    net->m_component.assign(n, -1);
    int parts = 0;
    std::vector<int> queue;
    for (std::size_t start = 0; start < n; ++start) {
        if (net->m_component[start] >= 0)
            continue;
        queue.assign(1, int(start));
        net->m_component[start] = parts;
        while (!queue.empty()) {
            const int u = queue.back();
            queue.pop_back();
            for (int e = net->m_firstEdge[std::size_t(u)]; e < net->m_firstEdge[std::size_t(u) + 1]; ++e) {
                const int v = net->m_targets[std::size_t(e)];
                if (net->m_component[std::size_t(v)] < 0) {
                    net->m_component[std::size_t(v)] = parts;
                    queue.push_back(v);
                }
            }
        }
        ++parts;
    }
    net->m_componentSizes.assign(std::size_t(parts), 0);
    for (int c : net->m_component)
        ++net->m_componentSizes[std::size_t(c)];
    // The grid for nearestNode(): sorted cell keys, each with its nodes.
    std::vector<std::pair<qint64, int>> keyed;
    keyed.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        keyed.emplace_back(net->cellOf(net->m_nodes[i].y(), net->m_nodes[i].x()), int(i));
    std::sort(keyed.begin(), keyed.end());
    for (const auto &[key, node] : keyed) {
        if (net->m_cellKeys.empty() || net->m_cellKeys.back() != key) {
            net->m_cellKeys.push_back(key);
            net->m_cells.emplace_back();
        }
        net->m_cells.back().push_back(node);
    }
    qCInfo(lcFeed, "road network: %d ways, %zu nodes, %zu edges in %d connected parts from %lld files", ways, n,
           b.edges.size(), parts, qlonglong(files.size()));
    return net;
}

double RoadNetwork::metres(int a, int b) const
{
    const QPointF &p = m_nodes[std::size_t(a)];
    const QPointF &q = m_nodes[std::size_t(b)];
    const double dy = (q.y() - p.y()) * metresPerDegree;
    const double dx = (q.x() - p.x()) * metresPerDegree * std::cos(p.y() * std::numbers::pi / 180.0);
    return std::hypot(dx, dy);
}

qint64 RoadNetwork::cellOf(double latitude, double longitude) const
{
    const qint64 row = qint64(std::floor(latitude / m_cellDegrees));
    const qint64 column = qint64(std::floor(longitude / m_cellDegrees));
    return row * 1'000'000 + column;
}

template<typename F> void RoadNetwork::forNodesWithin(double latitude, double longitude, double metres, F &&f) const
{
    const double cosLat = std::cos(latitude * std::numbers::pi / 180.0);
    const int reach = int(std::ceil(metres / (m_cellDegrees * metresPerDegree * std::max(cosLat, 0.1)))) + 1;
    const qint64 row = qint64(std::floor(latitude / m_cellDegrees));
    const qint64 column = qint64(std::floor(longitude / m_cellDegrees));
    for (qint64 r = row - reach; r <= row + reach; ++r) {
        for (qint64 c = column - reach; c <= column + reach; ++c) {
            const auto it = std::lower_bound(m_cellKeys.begin(), m_cellKeys.end(), r * 1'000'000 + c);
            if (it == m_cellKeys.end() || *it != r * 1'000'000 + c)
                continue;
            for (int node : m_cells[std::size_t(it - m_cellKeys.begin())])
                f(node);
        }
    }
}

int RoadNetwork::nearestNode(double latitude, double longitude, double maxMetres, int component) const
{
    if (!std::isfinite(latitude) || !std::isfinite(longitude) || m_nodes.empty())
        return -1;
    const double cosLat = std::cos(latitude * std::numbers::pi / 180.0);
    int best = -1;
    double bestMetres = maxMetres;
    forNodesWithin(latitude, longitude, maxMetres, [&](int node) {
        const QPointF &p = m_nodes[std::size_t(node)];
        const double d =
            std::hypot((p.y() - latitude) * metresPerDegree, (p.x() - longitude) * metresPerDegree * cosLat);
        if (d <= bestMetres && (component < 0 || m_component[std::size_t(node)] == component)) {
            bestMetres = d;
            best = node;
        }
    });
    return best;
}

double RoadNetwork::distanceToStreet(double latitude, double longitude, double maxMetres) const
{
    double best = std::numeric_limits<double>::infinity();
    if (!std::isfinite(latitude) || !std::isfinite(longitude) || m_nodes.empty())
        return best;
    const double cosLat = std::cos(latitude * std::numbers::pi / 180.0);
    auto local = [&](const QPointF &p) {
        return QPointF((p.x() - longitude) * metresPerDegree * cosLat, (p.y() - latitude) * metresPerDegree);
    };
    // A segment within maxMetres has an end within maxMetres plus the longest segment.
    forNodesWithin(latitude, longitude, maxMetres + m_longestEdge, [&](int u) {
        const QPointF a = local(m_nodes[std::size_t(u)]);
        for (int e = m_firstEdge[std::size_t(u)]; e < m_firstEdge[std::size_t(u) + 1]; ++e) {
            const QPointF b = local(m_nodes[std::size_t(m_targets[std::size_t(e)])]);
            const QPointF ab = b - a;
            const double len2 = QPointF::dotProduct(ab, ab);
            const double t = len2 > 0 ? std::clamp(QPointF::dotProduct(-a, ab) / len2, 0.0, 1.0) : 0.0;
            const QPointF closest = a + ab * t;
            best = std::min(best, std::hypot(closest.x(), closest.y()));
        }
    });
    return best <= maxMetres ? best : std::numeric_limits<double>::infinity();
}

bool RoadNetwork::adjacent(int i, int j) const
{
    for (int e = m_firstEdge[std::size_t(i)]; e < m_firstEdge[std::size_t(i) + 1]; ++e) {
        if (m_targets[std::size_t(e)] == j)
            return true;
    }
    return false;
}

bool RoadNetwork::path(int from, int to, std::vector<QPointF> &out) const
{
    out.clear();
    const int n = nodeCount();
    if (from < 0 || to < 0 || from >= n || to >= n)
        return false;
    if (from == to) {
        out.push_back(m_nodes[std::size_t(from)]);
        return true;
    }
    // A* with the straight-line distance: admissible, so the walk found is the shortest.
    std::vector<double> cost(std::size_t(n), std::numeric_limits<double>::infinity());
    std::vector<int> previous(std::size_t(n), -1);
    using Entry = std::pair<double, int>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> open;
    cost[std::size_t(from)] = 0.0;
    open.emplace(metres(from, to), from);
    while (!open.empty()) {
        const auto [estimate, u] = open.top();
        open.pop();
        if (u == to)
            break;
        if (estimate - metres(u, to) > cost[std::size_t(u)] + 1e-9)
            continue; // a stale entry
        for (int e = m_firstEdge[std::size_t(u)]; e < m_firstEdge[std::size_t(u) + 1]; ++e) {
            const int v = m_targets[std::size_t(e)];
            const double c = cost[std::size_t(u)] + double(m_lengths[std::size_t(e)]);
            if (c < cost[std::size_t(v)]) {
                cost[std::size_t(v)] = c;
                previous[std::size_t(v)] = u;
                open.emplace(c + metres(v, to), v);
            }
        }
    }
    if (previous[std::size_t(to)] < 0)
        return false;
    for (int v = to; v >= 0; v = previous[std::size_t(v)])
        out.push_back(m_nodes[std::size_t(v)]);
    std::reverse(out.begin(), out.end());
    return true;
}

} // namespace gwanje
