#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace gwanje {

// How a failure should be treated, independent of its wording; the UI translates.
enum class ErrorCategory : quint8 {
    Transient, // may succeed if retried (a locked file, a network share not mounted yet)
    Fatal,     // cannot continue this unit of work (the file cannot be read at all)
    BadInput,  // the input is wrong (a malformed mapping, a missing column, a bad row)
};
QString errorCategoryName(ErrorCategory category);

// A data file that could not be loaded, or only partly.
struct DataProblem
{
    QString file; // relative to the data directory
    QString code; // missing_file, unreadable, bad_mapping, missing_column, no_data_dir, no_datasets
    ErrorCategory category = ErrorCategory::Fatal;
    QString detail; // English, for logs and reports; the UI builds its own text from code + file
};

// A row that was read but not accepted.
struct RejectedRow
{
    QString file;
    qint64 row = 0; // 1-based record number within the layer (for CSV: file line minus the header)
    // missing_coordinate, not_a_number, out_of_range, out_of_bounds, duplicate_id, bad_value, bad_geometry
    QString code;
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
