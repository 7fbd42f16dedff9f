#include "SourceFactory.h"

#include "feeds/NdjsonReplaySource.h"
#include "sim/AirQualityHistory.h"
#include "sim/RoadNetwork.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gwanje {

namespace {

std::unique_ptr<Source> simulator(const SourceSettings &settings, std::shared_ptr<const AssetRegistry> registry,
                                  std::shared_ptr<SourceDirectory> sources, QStringList *warnings)
{
    // The air-quality history the sensors follow and the streets wearers walk along are named in
    // simulator.json in the data folder.
    const QDir dataDir(settings.dataDir);
    QFile file(dataDir.filePath(QStringLiteral("simulator.json")));
    const QJsonObject config =
        QJsonDocument::fromJson(file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray()).object();
    std::shared_ptr<const AirQualityHistory> air;
    const QString airFile = config.value(QStringLiteral("air_quality_daily")).toString();
    if (!airFile.isEmpty()) {
        QString error;
        air = AirQualityHistory::load(dataDir.filePath(airFile), &error);
        if (!air)
            warnings->append(
                QStringLiteral("air-quality history %1 unusable (%2); sensors use typical values").arg(airFile, error));
    }
    QStringList roadFiles;
    for (const QJsonValue &road : config.value(QStringLiteral("roads")).toArray())
        roadFiles.append(dataDir.filePath(road.toString()));
    SimulatorConfig sim = settings.simulator;
    if (!roadFiles.isEmpty()) {
        QString error;
        sim.roads = RoadNetwork::load(roadFiles, &error);
        if (!error.isEmpty())
            warnings->append(QStringLiteral("road data for the simulator: %1").arg(error));
    }
    sim.speed = settings.speed < 0 ? 1.0 : settings.speed;
    return std::make_unique<SeoulSimulator>(std::move(registry), std::move(air), std::move(sources), sim);
}

} // namespace

BuiltSource makeSource(const SourceSettings &settings, std::shared_ptr<const AssetRegistry> registry,
                       std::shared_ptr<SourceDirectory> sources)
{
    BuiltSource built;
    if (!settings.replayFile.isEmpty())
        built.source = std::make_unique<NdjsonReplaySource>(settings.replayFile, std::move(sources),
                                                            std::max(0.0, settings.speed));
    else
        built.source = simulator(settings, std::move(registry), std::move(sources), &built.warnings);
    return built;
}

} // namespace gwanje
