#pragma once

#include "DatasetMapping.h"
#include "LoadReport.h"
#include "assets/AssetRegistry.h"

#include <memory>

namespace gwanje {

struct LoadResult
{
    std::shared_ptr<AssetRegistry> registry; // finalized; never null
    LoadReport report;
};

// Loads every data set described by a "*.mapping.json" under a data directory into a registry,
// through GDAL/OGR. Never throws and never stops at a bad file: missing or unreadable files and
// bad mappings become report problems, bad rows become report rejections. Stateless; callable
// from any thread (GDAL is thread-safe for separate data sets).
class AssetLoader
{
public:
    // Data sets are read on up to `threads` threads at once (0: one per core), merged in order.
    static LoadResult loadDirectory(const QString &dataDir, int threads = 0);

    // The mapping files under dataDir, sorted, searched recursively.
    static QStringList findMappings(const QString &dataDir);
    // Loads one data set into registry (not finalized), appending to report.
    static void loadDataset(const DatasetMapping &mapping, const QString &displayName, AssetRegistry &registry,
                            LoadReport &report);
};

} // namespace gwanje
