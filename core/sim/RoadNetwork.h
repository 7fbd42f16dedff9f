#pragma once

#include <QPointF>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace gwanje {

// A walkable street graph for the simulator, read through GDAL from OpenStreetMap extracts (or
// any line layer with a `highway` field): every vertex is a node, consecutive vertices of a way
// are an edge, and ways meet where they share a vertex (OSM ways share their junction nodes, so
// their coordinates are equal). Motorway-class roads (motorway, trunk and their links) are left
// out: nobody walks along 올림픽대로. Positions are lon/lat (x = longitude). Immutable once loaded:
// any number of threads may query it.
class RoadNetwork
{
public:
    // Reads the `lines` layer (OSM) or the first layer of each file. Files that cannot be read are
    // named in *error and skipped; nullptr when no road could be read at all.
    static std::shared_ptr<const RoadNetwork> load(const QStringList &files, QString *error);

    int nodeCount() const { return int(m_nodes.size()); }
    int edgeCount() const { return int(m_targets.size() / 2); }
    QPointF node(int i) const { return m_nodes[std::size_t(i)]; }
    // The node nearest to a point within maxMetres, or -1 (the point is not on the network); with
    // `component` >= 0 only nodes of that connected part (extracts are clipped: some streets
    // connect to the rest only outside them).
    int nearestNode(double latitude, double longitude, double maxMetres, int component = -1) const;
    int component(int node) const { return m_component[std::size_t(node)]; }
    int componentSize(int component) const { return m_componentSizes[std::size_t(component)]; }
    // The shortest walk from node `from` to node `to` (A*, metres), as the positions of its nodes
    // in order, both ends included. False when they are not connected.
    bool path(int from, int to, std::vector<QPointF> &out) const;
    // Metres from a point to the nearest street segment (infinity when none is within `maxMetres`).
    double distanceToStreet(double latitude, double longitude, double maxMetres) const;
    // Whether nodes i and j are joined by an edge.
    bool adjacent(int i, int j) const;

private:
    double metres(int a, int b) const;
    qint64 cellOf(double latitude, double longitude) const;
    template<typename F> void forNodesWithin(double latitude, double longitude, double metres, F &&f) const;

    std::vector<QPointF> m_nodes;
    std::vector<int> m_firstEdge; // CSR: edges of node i are m_targets[m_firstEdge[i] .. m_firstEdge[i+1])
    std::vector<int> m_targets;
    std::vector<float> m_lengths; // metres, parallel to m_targets
    std::vector<int> m_component; // connected part of each node
    std::vector<int> m_componentSizes;
    std::vector<std::vector<int>> m_cells;
    std::vector<qint64> m_cellKeys; // sorted, parallel to m_cells
    double m_cellDegrees = 0.002;   // about 200 m
    double m_longestEdge = 0.0;     // metres
};

} // namespace gwanje
