#pragma once

// Private to gwanje_core: owning pointers for GDAL objects, so every early return closes them.

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <memory>

namespace gwanje::Gdal {

struct DatasetCloser
{
    void operator()(GDALDataset *ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct TransformDeleter
{
    void operator()(OGRCoordinateTransformation *t) const { OGRCoordinateTransformation::DestroyCT(t); }
};
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

} // namespace gwanje::Gdal
