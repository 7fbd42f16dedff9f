#pragma once

#include <QString>
#include <QStringList>

#include <variant>

namespace gwanje {

// What the command line asked for. Parsing needs no QCoreApplication, so main() can choose the
// application class (GUI or not) from it.
struct Options
{
    enum class Mode { Gui, Headless, Screenshot, Version, Help };
    Mode mode = Mode::Gui;
    QString dataDir; // absolute; the shipped data when not given
    QString language = QStringLiteral("ko");
    QString desk = QStringLiteral("ops"); // which desk this console is: its alarms, KPIs, commands
    bool demo = true;
    double durationSeconds = 0.0; // headless
    QString reportFile;           // headless
    QString screenshotFile;       // screenshot
    double afterSeconds = 3.0;    // screenshot
    QString wallLayout;           // the video wall's layout (1, 2x2, ...); empty: the desk's saved one
    bool wallShown = true;        // --wall off hides it
    double probeSeconds = -1.0;   // >= 0: print startup probes (first frames, memory) on stdout, then quit
    QString replayFile;           // NDJSON events to replay instead of the simulator
    double speed = -1.0;          // replay: 0 fastest (default), 1 real time; simulator: 1 (default), 60...
    QString scenario = QStringLiteral("normal");
    int devices = 5000;
    quint64 seed = 20261125;
    qint64 simulationStartMs = 0; // 0 = now
    bool lockstep = false;        // the simulator waits for each second to be fused (reproducible runs)
    qint64 simulatedSeconds = 0;  // > 0: the simulator stops after this much simulated time
    QString databaseFile;         // the event store; empty = in memory only
    bool progress = false;        // print {"committed": N} lines to stdout as the store commits
    QString helpText;             // for Mode::Help and errors
};

struct CommandLineError
{
    QString message;
};

std::variant<Options, CommandLineError> parseCommandLine(const QStringList &arguments);

// Where the shipped data is: next to an installed binary, else the source tree it was built from.
QString defaultDataDir(const QString &applicationDir);

} // namespace gwanje
