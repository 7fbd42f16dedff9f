#pragma once

// Private to gwanje_core: a thin reader over one OGR vector layer, keeping GDAL out of headers.

#include "geo/PolygonIndex.h"

#include <QPointF>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace gwanje {

// Reads features of one layer in order. Owned by one thread at a time.
class OgrReader
{
public:
    ~OgrReader();
    OgrReader(const OgrReader &) = delete;
    OgrReader &operator=(const OgrReader &) = delete;

    // Opens a vector file read-only. On failure returns nullptr and sets *error.
    static std::unique_ptr<OgrReader> open(const QString &path, const QString &layerName, QString *error);

    QStringList fieldNames() const;
    int fieldIndex(const QString &name) const; // -1 when absent
    // Coordinates from columns are in this SRS ("EPSG:5186", WKT, PROJ); empty = WGS84 lon/lat.
    bool setColumnSrs(const QString &srs, QString *error);

    // Restricts the rows to those matching an OGR SQL WHERE clause (empty: all); false and *error
    // when OGR cannot use it.
    bool setAttributeFilter(const QString &where, QString *error);

    bool next(); // advances to the next feature; false at the end
    bool isNull(int field) const;
    // The field as OGR's UTF-8 text, valid until next(); nullptr when null or absent.
    const char *raw(int field) const;
    QString string(int field) const; // trimmed
    QByteArray utf8(int field) const;
    // A strictly parsed number; nullopt for null, empty or text that is not entirely a number.
    std::optional<double> number(int field) const;

    // The feature geometry as a point in WGS84 lon/lat, or nullopt.
    std::optional<QPointF> point() const;
    // Column coordinates converted to WGS84 lon/lat (identity when no column SRS is set).
    std::optional<QPointF> toLonLat(double x, double y) const;
    // A point inside the feature's (multi)polygon in WGS84 lon/lat, or nullopt.
    std::optional<QPointF> pointOnSurface() const;
    // The feature's (multi)line strings in WGS84 lon/lat; empty if it has no lines.
    std::vector<std::vector<QPointF>> lines() const;
    // The feature geometry's polygon rings in WGS84 lon/lat; empty if it is not (multi)polygonal.
    std::vector<Ring> rings() const;
    QString geometryTypeName() const;

private:
    OgrReader();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace gwanje
