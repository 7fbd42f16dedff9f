#pragma once

#include "assets/CameraView.h"

#include <QtGlobal>

#include <cstdint>
#include <vector>

namespace gwanje {

class AssetRegistry;

// Whether a camera site can see a spot, as far as its view direction (CameraView) tells.
// Ordered by preference: the ranking sorts on it before distance.
enum class CameraCoverage : quint8 {
    Covers,  // panoramic, or a heading cone contains the bearing to the spot, or the spot is at the camera
    Unknown, // no direction known (unread text, or a fixed camera whose text names no heading): may see it
    Away,    // every known heading cone misses the spot
};

// One camera site near a spot.
struct CameraHit
{
    int asset = -1; // index into AssetRegistry::assets()
    CameraCoverage coverage = CameraCoverage::Unknown;
    double distanceMetres = 0; // camera to spot
    double bearingDegrees = 0; // from the camera to the spot, clockwise from north, in [0, 360); 0 at the camera

    friend bool operator==(const CameraHit &, const CameraHit &) = default;
};

// The camera sites that can see an alarm's spot (an SOS, a fall): nearest() ranks the sites within
// a radius by coverage, then distance, then asset index (so equal distances always come out in
// the same order): first those whose view covers the spot, then those whose direction is unknown,
// and last the ones known to look away. Away sites are kept rather than dropped: they are still
// the nearest eyes on the scene (the approach, the street corner) and the operator may have nothing
// better; a caller that wants only likely views can drop them by `coverage`, which it could not
// do the other way round.
//
// Distances are in a local equirectangular frame around the spot, scaled by the WGS84 ellipsoid's
// radii of curvature at the spot's latitude: x = Δlongitude·N·cos φ, y = Δlatitude·M. Against the
// geodesic (Vincenty) the error in Seoul is under 0.6 mm at 150 m and about 2.3 cm at 1 km, from
// the change of cos φ across the distance. Longitudes are not wrapped at ±180°.
//
// A uniform grid over the cameras' latitude/longitude, with the sites of each cell contiguous in
// one flat array (rows of cells are contiguous too, so a query scans one span per grid row).
// Built once from a finalized registry; copies what it needs, so it does not keep the registry.
// Immutable after construction: nearest() may be called from any number of threads at once.
class CameraIndex
{
public:
    // The CCTV file itself gives 30-150 m as its cameras' range (1,236 rows: "반경 30~150미터 이내").
    static constexpr double defaultRadiusMetres = 150.0;
    static constexpr int defaultCount = 5; // what an alarm card has room for
    // Within this, the bearing from the camera is GPS noise, so a camera with headings counts as
    // covering whatever its heading.
    static constexpr double coincidentMetres = 2.0;

    CameraIndex() = default;
    // Indexes every AssetKind::CameraSite of the registry. cellMetres is the grid's cell size; a
    // cell about the query radius scans about 3×3 cells per query.
    explicit CameraIndex(const AssetRegistry &registry, double cellMetres = defaultRadiusMetres);

    int size() const { return int(m_entries.size()); }

    // Up to k camera sites within radiusMetres (inclusive) of the spot, best first, into out
    // (cleared first). Allocates nothing once out has held k hits. NaN or out-of-range
    // coordinates, k < 1 or a radius that is not positive give nothing.
    void nearest(double latitude, double longitude, int k, double radiusMetres, std::vector<CameraHit> &out) const;
    void nearest(double latitude, double longitude, std::vector<CameraHit> &out) const
    {
        nearest(latitude, longitude, defaultCount, defaultRadiusMetres, out);
    }

    // Whether a camera with this view sees a spot at bearingDegrees (camera to spot, clockwise
    // from north) and distanceMetres. The rule nearest() ranks by; a cone's edges are inside.
    static CameraCoverage coverage(const CameraView &view, double bearingDegrees, double distanceMetres);

private:
    // How an entry's view is judged: a panoramic or unknown view needs no bearing; the others
    // index m_coneSets.
    static constexpr std::int32_t panoramicView = -1;
    static constexpr std::int32_t unknownView = -2;

    struct Entry // 24 bytes, in cell order: what the scan reads
    {
        double latitude;
        double longitude;
        std::int32_t asset;
        std::int32_t view; // panoramicView, unknownView or an index into m_coneSets
    };
    struct ConeSet // the heading cones of one distinct directional view
    {
        std::uint32_t first = 0; // into m_headings
        std::uint32_t count = 0;
        double halfAngle = 0; // degrees
    };

    CameraCoverage coverageOf(std::int32_t view, double bearingDegrees, double distanceMetres) const;

    std::vector<Entry> m_entries;
    std::vector<std::uint32_t>
        m_cellStart; // entries of cell (row, col) are [m_cellStart[c], m_cellStart[c + 1]), c = row·cols + col
    std::vector<ConeSet> m_coneSets;
    std::vector<double> m_headings;
    double m_minLatitude = 0, m_minLongitude = 0;
    double m_cellLatitude = 1, m_cellLongitude = 1; // degrees
    int m_rows = 0, m_cols = 0;
};

} // namespace gwanje
