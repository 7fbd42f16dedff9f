#include "Errors.h"

#include "EnumTable_p.h"

#include <array>
#include <utility>

namespace gwanje {

namespace {
constexpr std::array<std::pair<ErrorCode, const char *>, 28> names{{
    {ErrorCode::None, ""},
    {ErrorCode::MissingFile, "missing_file"},
    {ErrorCode::Unreadable, "unreadable"},
    {ErrorCode::BadMapping, "bad_mapping"},
    {ErrorCode::MissingColumn, "missing_column"},
    {ErrorCode::NoDataDir, "no_data_dir"},
    {ErrorCode::NoDatasets, "no_datasets"},
    {ErrorCode::BadStreamUrl, "bad_stream_url"},
    {ErrorCode::MissingCoordinate, "missing_coordinate"},
    {ErrorCode::NotANumber, "not_a_number"},
    {ErrorCode::OutOfRange, "out_of_range"},
    {ErrorCode::OutOfBounds, "out_of_bounds"},
    {ErrorCode::DuplicateId, "duplicate_id"},
    {ErrorCode::BadValue, "bad_value"},
    {ErrorCode::BadGeometry, "bad_geometry"},
    {ErrorCode::CannotOpen, "cannot_open"},
    {ErrorCode::NotADatabase, "not_a_database"},
    {ErrorCode::Corrupt, "corrupt"},
    {ErrorCode::DiskFull, "disk_full"},
    {ErrorCode::IoError, "io_error"},
    {ErrorCode::MigrationFailed, "migration_failed"},
    {ErrorCode::Locked, "locked"},
    {ErrorCode::ReadFailed, "read_failed"},
    {ErrorCode::WriteFailed, "write_failed"},
    {ErrorCode::NoUrl, "no_url"},
    {ErrorCode::BadUrl, "bad_url"},
    {ErrorCode::BadConfig, "bad_config"},
    {ErrorCode::NoTls, "no_tls"},
}};

static_assert(followsEnum(names), "one name per code, in the order of the enum");
} // namespace

QString errorCategoryName(ErrorCategory category)
{
    switch (category) {
    case ErrorCategory::Transient:
        return QStringLiteral("transient");
    case ErrorCategory::Fatal:
        return QStringLiteral("fatal");
    case ErrorCategory::BadInput:
        return QStringLiteral("bad_input");
    }
    return {};
}

QString errorCodeName(ErrorCode code)
{
    return QString::fromLatin1(names[std::size_t(code)].second);
}

std::optional<ErrorCode> errorCodeFromName(QStringView name)
{
    for (const auto &[code, text] : names) {
        if (name == QLatin1String(text))
            return code;
    }
    return std::nullopt;
}

} // namespace gwanje
