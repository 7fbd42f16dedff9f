#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <vector>

namespace gwanje::bench {

// One result line: {"name", "value", "unit", "baseline", "ratio"}; ratio = value / baseline, both
// measured in the same process on the same input.
inline void emit(const char *name, double value, const char *unit, std::optional<double> baseline)
{
    QJsonObject o{{QStringLiteral("name"), QString::fromLatin1(name)},
                  {QStringLiteral("value"), value},
                  {QStringLiteral("unit"), QString::fromLatin1(unit)},
                  {QStringLiteral("baseline"), baseline ? QJsonValue(*baseline) : QJsonValue(QJsonValue::Null)},
                  {QStringLiteral("ratio"),
                   baseline && *baseline > 0 ? QJsonValue(value / *baseline) : QJsonValue(QJsonValue::Null)}};
    std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

struct Settings
{
    bool quick = false; // small inputs, for the smoke test
    QString filter;
    QString workDir;
    bool selected(const char *name) const { return filter.isEmpty() || QString::fromLatin1(name).contains(filter); }
};

inline double median(std::vector<double> v)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

} // namespace gwanje::bench
