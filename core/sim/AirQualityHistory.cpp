#include "AirQualityHistory.h"

#include "data/OgrReader_p.h"

#include <QDate>

namespace gwanje {

std::unique_ptr<AirQualityHistory> AirQualityHistory::load(const QString &path, QString *error)
{
    auto reader = OgrReader::open(path, QString(), error);
    if (!reader)
        return nullptr;
    const int date = reader->fieldIndex(QStringLiteral("측정일시"));
    const int station = reader->fieldIndex(QStringLiteral("측정소명"));
    const int pm10 = reader->fieldIndex(QStringLiteral("미세먼지(㎍/㎥)"));
    const int pm25 = reader->fieldIndex(QStringLiteral("초미세먼지(㎍/㎥)"));
    if (date < 0 || station < 0 || pm10 < 0 || pm25 < 0) {
        if (error)
            *error = QStringLiteral("expected columns 측정일시, 측정소명, 미세먼지(㎍/㎥), 초미세먼지(㎍/㎥); found %1")
                         .arg(reader->fieldNames().join(QStringLiteral(", ")));
        return nullptr;
    }
    auto history = std::unique_ptr<AirQualityHistory>(new AirQualityHistory);
    std::array<double, 366> sum10{}, sum25{};
    std::array<int, 366> n10{}, n25{};
    while (reader->next()) {
        const QDate d = QDate::fromString(reader->string(date), QStringLiteral("yyyyMMdd"));
        if (!d.isValid())
            continue;
        const int doy = d.dayOfYear() - 1;
        Year &year = history->m_stations[reader->string(station)];
        if (const auto v = reader->number(pm10); v && *v >= 0) {
            year[std::size_t(doy)].pm10 = float(*v);
            sum10[std::size_t(doy)] += *v;
            ++n10[std::size_t(doy)];
        }
        if (const auto v = reader->number(pm25); v && *v >= 0) {
            year[std::size_t(doy)].pm25 = float(*v);
            sum25[std::size_t(doy)] += *v;
            ++n25[std::size_t(doy)];
        }
    }
    for (std::size_t i = 0; i < 366; ++i) {
        history->m_cityMean[i].pm10 = n10[i] ? float(sum10[i] / n10[i]) : -1.0f;
        history->m_cityMean[i].pm25 = n25[i] ? float(sum25[i] / n25[i]) : -1.0f;
    }
    if (history->daysWithData() == 0) {
        if (error)
            *error = QStringLiteral("no daily PM10 or PM2.5 values in the file");
        return nullptr;
    }
    return history;
}

int AirQualityHistory::daysWithData() const
{
    int n = 0;
    for (const Day &d : m_cityMean)
        n += d.pm10 >= 0 || d.pm25 >= 0;
    return n;
}

AirQualityHistory::Day AirQualityHistory::day(const QString &station, int dayOfYear) const
{
    const int doy = std::clamp(dayOfYear, 0, 365);
    Day result;
    if (auto it = m_stations.constFind(station); it != m_stations.constEnd())
        result = (*it)[std::size_t(doy)];
    for (int offset = 0; offset < 366 && (result.pm10 < 0 || result.pm25 < 0); ++offset) {
        for (int sign : {1, -1}) {
            const Day &mean = m_cityMean[std::size_t((doy + sign * offset + 366) % 366)];
            if (result.pm10 < 0)
                result.pm10 = mean.pm10;
            if (result.pm25 < 0)
                result.pm25 = mean.pm25;
        }
    }
    return result;
}

} // namespace gwanje
