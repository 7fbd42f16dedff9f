#pragma once

#include "feeds/Source.h"
#include "sim/SeoulSimulator.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace gwanje {

class AssetRegistry;
class SourceDirectory;

// Where the events come from, as the command line and settings say.
struct SourceSettings
{
    QString replayFile;        // an NDJSON file to replay; empty: the built-in simulator
    double speed = -1.0;       // < 0: the default (a replay as fast as it goes, the simulator in real time)
    QString dataDir;           // the simulator's simulator.json (air-quality history, streets) is here
    SimulatorConfig simulator; // seed, devices, scenario, start, lockstep, end (speed and streets are set here)
};

struct BuiltSource
{
    std::unique_ptr<Source> source;
    QStringList warnings; // English: what the source runs without (an unusable air-quality file...)
};

// Builds the source the settings describe, on the loaded assets. The MQTT feed and the camera
// health source join here.
BuiltSource makeSource(const SourceSettings &settings, std::shared_ptr<const AssetRegistry> registry,
                       std::shared_ptr<SourceDirectory> sources);

} // namespace gwanje
