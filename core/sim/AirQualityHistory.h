#pragma once

#include <QHash>
#include <QString>

#include <array>
#include <memory>

namespace gwanje {

// Daily mean PM10 and PM2.5 per measuring station for one year (Seoul 2019: 25 urban stations
// named after their district, and roadside stations), read through GDAL. The simulator shapes
// S-DoT readings after it. Immutable after load; safe to share between threads.
class AirQualityHistory
{
public:
    struct Day
    {
        float pm10 = -1.0f; // µg/m³, < 0 when missing
        float pm25 = -1.0f;
    };

    // Columns: date (YYYYMMDD), station, PM10, PM2.5. On failure returns nullptr and sets *error.
    static std::unique_ptr<AirQualityHistory> load(const QString &path, QString *error);

    // The station's day (0 = 1 January), falling back to the mean of all stations that day, then
    // to the nearest day with data.
    Day day(const QString &station, int dayOfYear) const;
    int stationCount() const { return int(m_stations.size()); }
    int daysWithData() const;

private:
    using Year = std::array<Day, 366>;
    QHash<QString, Year> m_stations;
    Year m_cityMean{};
};

} // namespace gwanje
