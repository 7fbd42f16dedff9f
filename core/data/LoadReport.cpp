#include "LoadReport.h"

#include <QJsonArray>

namespace gwanje {

qint64 LoadReport::rejectedCount() const
{
    qint64 n = 0;
    for (const DatasetSummary &d : datasets)
        n += d.rejected;
    return n;
}

bool LoadReport::rejectedListTruncated() const
{
    return rejectedCount() > rejected.size();
}

QJsonObject LoadReport::toJson() const
{
    QJsonArray datasetArray;
    for (const DatasetSummary &d : datasets) {
        datasetArray.append(QJsonObject{
            {QStringLiteral("file"), d.file},
            {QStringLiteral("mapping"), d.mapping},
            {QStringLiteral("kind"), d.kind},
            {QStringLiteral("title"), d.title},
            {QStringLiteral("attribution"), d.attribution},
            {QStringLiteral("loaded"), d.loaded},
            {QStringLiteral("rows"), d.rows},
            {QStringLiteral("accepted"), d.accepted},
            {QStringLiteral("rejected"), d.rejected},
            {QStringLiteral("elapsed_ms"), d.elapsedMs},
        });
    }
    QJsonArray rejectedArray;
    for (const RejectedRow &r : rejected) {
        rejectedArray.append(QJsonObject{
            {QStringLiteral("file"), r.file},
            {QStringLiteral("row"), r.row},
            {QStringLiteral("code"), errorCodeName(r.code)},
            {QStringLiteral("reason"), r.reason},
        });
    }
    QJsonArray problemArray;
    for (const DataProblem &p : problems) {
        problemArray.append(QJsonObject{
            {QStringLiteral("file"), p.file},
            {QStringLiteral("code"), errorCodeName(p.code)},
            {QStringLiteral("category"), errorCategoryName(p.category)},
            {QStringLiteral("detail"), p.detail},
        });
    }
    return QJsonObject{
        {QStringLiteral("data_dir"), dataDir},
        {QStringLiteral("datasets"), datasetArray},
        {QStringLiteral("rejected"), rejectedArray},
        {QStringLiteral("rejected_total"), rejectedCount()},
        {QStringLiteral("rejected_truncated"), rejectedListTruncated()},
        {QStringLiteral("problems"), problemArray},
    };
}

} // namespace gwanje
