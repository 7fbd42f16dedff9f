#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace gwanje {

// How a failure should be treated, independent of its wording; the UI translates.
enum class ErrorCategory : quint8 {
    Transient, // may succeed if retried (a locked file, a network share not mounted yet)
    Fatal,     // cannot continue this unit of work (the file cannot be read at all)
    BadInput,  // the input is wrong (a malformed mapping, a missing column, a bad row)
};
QString errorCategoryName(ErrorCategory category); // transient, fatal, bad_input

// What went wrong, as a value: code compares these, reports and logs print errorCodeName(), and
// the UI turns them into its own translated sentences. The English detail beside a code is for
// logs and reports only.
enum class ErrorCode : quint8 {
    None,
    // A data file (DataProblem).
    MissingFile,
    Unreadable,
    BadMapping,
    MissingColumn,
    NoDataDir,
    NoDatasets,
    BadStreamUrl,
    // A row of one (RejectedRow).
    MissingCoordinate,
    NotANumber,
    OutOfRange,
    OutOfBounds,
    DuplicateId,
    BadValue,
    BadGeometry,
    // A database: the event store, the alarms, the notifications (StoreStatus, NotifierStatus).
    CannotOpen,
    NotADatabase,
    Corrupt,
    DiskFull,
    IoError,
    MigrationFailed,
    Locked, // another connection holds it: transient
    ReadFailed,
    WriteFailed,
    // Guardian notifications (NotifierStatus).
    NoUrl,
    BadUrl,
    BadConfig,
    NoTls,
};
// "missing_file", "disk_full", ...; empty for None.
QString errorCodeName(ErrorCode code);
std::optional<ErrorCode> errorCodeFromName(QStringView name);

} // namespace gwanje
