#pragma once

#include "assets/SafetyDevice.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <vector>

namespace gwanje {

class EventBus;

struct SourceRejection
{
    qint64 line = 0; // 1-based; 0 when the source has no lines
    QString reason;
};

enum class SourceState : quint8 {
    Idle,     // not started
    Running,  // its thread is producing
    Finished, // a finite source published everything
    Stopped,  // stopped before the end
    Failed,   // it could not run (error says why)
};
QString sourceStateName(SourceState state); // idle, running, finished, stopped, failed

struct SourceStats
{
    SourceState state = SourceState::Idle;
    quint64 produced = 0;              // events published to the bus
    quint64 rejected = 0;              // malformed or unusable input, every one counted
    QList<SourceRejection> rejections; // the first ones, with where and why
    bool finished = false;             // a finite source (a replay) has published everything
    QString error;                     // why the source could not run at all (English), empty when fine
};

// Something that produces events on its own thread and publishes them to the bus: the
// simulator, a file replay, later MQTT and the OsmAnd tracker protocol.
class Source
{
public:
    virtual ~Source() = default;
    virtual QString name() const = 0;
    // Starts producing; returns false (and sets stats().error) when the source cannot run.
    virtual bool start(EventBus &bus) = 0;
    virtual void stop() = 0;
    virtual SourceStats stats() const = 0;
    // The wearers this source knows as the center does (the simulator makes its own up); empty
    // when the roster comes from elsewhere.
    virtual std::vector<SafetyDevice> roster() const { return {}; }
    // What the source did, for the headless report ("scenario" for the simulator); empty if nothing.
    virtual QJsonObject report() const { return {}; }
};

} // namespace gwanje
