#pragma once

#include "Errors.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace gwanje {

// A data file that could not be loaded, or only partly.
struct DataProblem
{
    QString file; // relative to the data directory
    ErrorCode code =
        ErrorCode::None; // MissingFile, Unreadable, BadMapping, MissingColumn, NoDataDir, NoDatasets, BadStreamUrl
    ErrorCategory category = ErrorCategory::Fatal;
    QString detail; // English, for logs and reports; the UI builds its own text from code + file
};

// A row that was read but not accepted.
struct RejectedRow
{
    QString file;
    qint64 row = 0; // 1-based record number within the layer (for CSV: file line minus the header)
    // MissingCoordinate, NotANumber, OutOfRange, OutOfBounds, DuplicateId, BadValue, BadGeometry
    ErrorCode code = ErrorCode::None;
    QString reason; // English detail
};

struct DatasetSummary
{
    QString file;
    QString mapping;
    QString kind;
    QString title;
    QString attribution;
    qint64 rows = 0;
    qint64 accepted = 0;
    qint64 rejected = 0;
    double elapsedMs = 0.0;
    bool loaded = false;
};

// What loading a data directory did. Rejected rows are listed up to a cap per file; every one is
// counted in DatasetSummary::rejected.
struct LoadReport
{
    static constexpr int maxListedRejectionsPerFile = 1000;

    QString dataDir;
    QList<DatasetSummary> datasets;
    QList<RejectedRow> rejected;
    QList<DataProblem> problems;

    qint64 rejectedCount() const;
    bool rejectedListTruncated() const;
    QJsonObject toJson() const; // "datasets", "rejected", "rejected_total", "problems"
};

} // namespace gwanje
