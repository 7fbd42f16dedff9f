#pragma once

#include "ConsoleBackend.h"

#include <QCoreApplication>
#include <QHash>

#include <memory>

namespace gwanje {

class Engine;

// The screen's view of this process's Engine (ConsoleBackend): what app/ wires.
class EngineBackend final : public ConsoleBackend
{
    Q_DECLARE_TR_FUNCTIONS(EngineBackend)

public:
    using Zones = QHash<QString, std::vector<std::vector<QPointF>>>; // device id -> outlines, lon/lat

    // configured: a database was asked for (its trouble is then an operator's problem);
    // rulesProblems: what is wrong in the rules file (English); zones: the wearers' safe zones.
    EngineBackend(Engine &engine, bool live, bool configured, QStringList rulesProblems,
                  std::shared_ptr<const Zones> zones);

    AlarmSnapshot alarmSnapshot() override;
    quint64 alarmsVersion() override;
    void setAlarmsChangedCallback(std::function<void()> callback) override;
    std::optional<AlarmCommandResult> submitAlarmCommand(const AlarmCommand &command,
                                                         std::function<void(const AlarmCommandResult &)> done) override;
    std::vector<AlarmHistoryEntry> alarmHistory(qint64 alarmId) override;
    std::optional<Procedure> procedure(const QString &type) override;
    QStringList problems() override;
    bool live() const override { return m_live; }

    void devicePoints(std::vector<DevicePoint> &out) override;
    quint64 assetStatus(quint64 since, std::vector<AssetStatusPoint> &out) override;
    qint64 sourceIndex(const QString &id) override;
    std::vector<std::vector<QPointF>> safeZones(quint32 source) override;

    HistoryFacade::Snapshot historySnapshot() override;
    bool hasHistory() override;
    std::vector<QPointF> track(quint32 source, qint64 fromMs, qint64 toMs) override;
    std::vector<DevicesFacade::HeatPoint> heat(qint64 fromMs, qint64 toMs) override;

private:
    Engine &m_engine;
    bool m_live;
    bool m_configured;
    QStringList m_rulesProblems;
    std::shared_ptr<const Zones> m_zones;
};

} // namespace gwanje
