#pragma once

#include "DevicesFacade.h"
#include "HistoryFacade.h"
#include "engine/Engine.h"
#include "fusion/FusionConfig.h"

#include <QPointF>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace gwanje {

// What the screen reads of the engine and asks of it: one typed interface, which ConsoleUi::
// attach() hands to the facades. The app implements it over its Engine (app/EngineBackend);
// tests give their own. Called on the GUI thread unless noted, and never waits for the disk
// there: track() and heat() are the store's queries and are called on the facades' worker threads.
class ConsoleBackend
{
public:
    virtual ~ConsoleBackend() = default;

    // --- Alarms (AlarmsFacade) ---
    virtual AlarmSnapshot alarmSnapshot() = 0;
    virtual quint64 alarmsVersion() = 0; // cheap; moves with every change
    // Called on any thread when the alarms change; the facade then takes a snapshot.
    virtual void setAlarmsChangedCallback(std::function<void()> callback) = 0;
    // Engine::submitAlarmCommand: a result now, or nothing and `done` later on any thread.
    virtual std::optional<AlarmCommandResult>
    submitAlarmCommand(const AlarmCommand &command, std::function<void(const AlarmCommandResult &)> done) = 0;
    virtual std::vector<AlarmHistoryEntry> alarmHistory(qint64 alarmId) = 0;
    virtual std::optional<Procedure> procedure(const QString &type) = 0;
    // What is wrong that the operators must know, translated; asked about once a second.
    virtual QStringList problems() = 0;
    // True when the timed rules run on the wall clock (a live feed); else alarm ages count on
    // the newest position fix.
    virtual bool live() const = 0;

    // --- The city (DevicesFacade) ---
    virtual void devicePoints(std::vector<DevicePoint> &out) = 0;
    // Appends the fixed assets whose status changed after `since`; returns the current version.
    virtual quint64 assetStatus(quint64 since, std::vector<AssetStatusPoint> &out) = 0;
    virtual qint64 sourceIndex(const QString &id) = 0; // -1: unknown
    virtual std::vector<std::vector<QPointF>> safeZones(quint32 source) = 0;

    // --- History (HistoryFacade; the map's tracks and heat map) ---
    virtual HistoryFacade::Snapshot historySnapshot() = 0;
    // False when there is no database to ask: no tracks, no heat map.
    virtual bool hasHistory() = 0;
    virtual std::vector<QPointF> track(quint32 source, qint64 fromMs, qint64 toMs) = 0; // any thread
    virtual std::vector<DevicesFacade::HeatPoint> heat(qint64 fromMs, qint64 toMs) = 0; // any thread
};

} // namespace gwanje
