// The Alarms facade against a fake engine (the real lifecycle rules of applyAlarmCommand behind
// std::function providers): commands carry the operator and the desk, refusals become lastError,
// the engine's callback from another thread refreshes at once, and the cues follow the priorities.
#include "AlarmSound.h"
#include "AlarmsFacade.h"
#include "TestSupport.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <mutex>
#include <thread>

using namespace gwanje;

namespace {
constexpr qint64 t0 = 1'760'000'000'000;

Alarm alarm(qint64 id, const QString &type, int priority, QStringList desks)
{
    Alarm a;
    a.id = id;
    a.type = type;
    a.priority = priority;
    a.raisedAtMs = t0 + id * 1000;
    a.updatedAtMs = a.raisedAtMs;
    a.source = QStringLiteral("SD-%1").arg(id, 6, 10, QLatin1Char('0'));
    a.desks = std::move(desks);
    a.latitude = 37.61;
    a.longitude = 126.92;
    return a;
}

// What the Engine will be, as far as the facade can tell: thread-safe, versioned, with history.
struct FakeEngine
{
    mutable std::mutex mutex;
    std::vector<Alarm> alarms;
    std::vector<DeskKpis> kpis;
    std::vector<AlarmCommand> commands;
    std::vector<AlarmHistoryEntry> entries;
    std::atomic<quint64> version{1};
    qint64 now = t0 + 60'000;

    void add(const Alarm &a)
    {
        std::lock_guard lock(mutex);
        alarms.push_back(a);
        entries.push_back({a.id, a.raisedAtMs, QStringLiteral("system"), QString(), QStringLiteral("raise"),
                           AlarmState::Normal, a.state, QString()});
        ++version;
    }
    AlarmSnapshot snapshot() const
    {
        std::lock_guard lock(mutex);
        return {version.load(), alarms, kpis};
    }
    AlarmCommandResult execute(const AlarmCommand &command)
    {
        std::lock_guard lock(mutex);
        commands.push_back(command);
        auto it = std::find_if(alarms.begin(), alarms.end(), [&](const Alarm &a) { return a.id == command.alarmId; });
        if (it == alarms.end())
            return AlarmCommandResult::refused(AlarmRefusal::NoSuchAlarm, QString::number(command.alarmId), {});
        AlarmCommand c = command;
        c.atMs = ++now;
        auto result = applyAlarmCommand(*it, c);
        if (auto *refused = std::get_if<AlarmRefused>(&result))
            return AlarmCommandResult::refused(refused->reason, refused->detail, *it);
        const Alarm next = std::get<Alarm>(result);
        entries.push_back({next.id, c.atMs, c.actor, c.desk, alarmActionName(c.action), it->state, next.state,
                           c.action == AlarmAction::Assign ? c.assignee : c.text});
        *it = next;
        ++version;
        return AlarmCommandResult::done(next);
    }
    std::vector<AlarmHistoryEntry> history(qint64 id) const
    {
        std::lock_guard lock(mutex);
        std::vector<AlarmHistoryEntry> out;
        std::copy_if(entries.begin(), entries.end(), std::back_inserter(out),
                     [id](const AlarmHistoryEntry &e) { return e.alarmId == id; });
        return out;
    }

    void connect(AlarmsFacade &facade, int pollMs = 100)
    {
        facade.setClock([this] { return now; });
        facade.setCommandExecutor([this](const AlarmCommand &c) { return execute(c); });
        facade.setHistoryProvider([this](qint64 id) { return history(id); });
        facade.setProcedureProvider([](const QString &type) -> std::optional<Procedure> {
            if (type != QLatin1String("sos"))
                return std::nullopt;
            return Procedure{
                {QStringLiteral("CCTV 확인"), QStringLiteral("보호자 연락"), QStringLiteral("112 신고")},
                {QStringLiteral("Check CCTV"), QStringLiteral("Call the guardian"), QStringLiteral("Report to 112")}};
        });
        facade.setSnapshotProvider([this] { return snapshot(); }, [this] { return version.load(); }, pollMs);
    }
};

const QStringList opsOnly{QStringLiteral("ops")};
const QStringList opsAndPolice{QStringLiteral("ops"), QStringLiteral("police-112")};
} // namespace

class TestAlarmsFacade : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void commandsCarryOperatorAndDesk()
    {
        FakeEngine engine;
        engine.add(alarm(1, QStringLiteral("sos"), 1, opsAndPolice));
        engine.add(alarm(2, QStringLiteral("camera_offline"), 3, opsOnly));
        AlarmsFacade facade(nullptr);
        QAbstractItemModelTester tester(facade.model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
        facade.setOperatorName(QStringLiteral("kim.officer"));
        facade.setDesk(QStringLiteral("police-112"));
        engine.connect(facade);
        QCOMPARE(facade.count(), 1);
        QCOMPARE(facade.model()->rowCount(), 1);
        QCOMPARE(facade.unacknowledgedCount(), 1);
        QCOMPARE(facade.highestPriority(), 1);
        QVERIFY(facade.urgent());

        QSignalSpy changed(&facade, &AlarmsFacade::changed);
        QVERIFY(facade.acknowledge(1, QStringLiteral("  on our way ")));
        QCOMPARE(int(engine.commands.size()), 1);
        const AlarmCommand &c = engine.commands.back();
        QCOMPARE(c.alarmId, 1);
        QCOMPARE(c.action, AlarmAction::Acknowledge);
        QCOMPARE(c.actor, QStringLiteral("kim.officer"));
        QCOMPARE(c.desk, QStringLiteral("police-112"));
        QCOMPARE(c.text, QStringLiteral("on our way"));
        // On screen at once, not at the next poll.
        QCOMPARE(facade.model()->index(0).data(AlarmListModel::StateRole).toString(), QStringLiteral("acknowledged"));
        QCOMPARE(facade.unacknowledgedCount(), 0);
        QVERIFY(!facade.urgent());
        QCOMPARE(changed.count(), 1);

        QVERIFY(facade.assign(1, QStringLiteral("patrol 3")));
        QCOMPARE(engine.commands.back().assignee, QStringLiteral("patrol 3"));
        QVERIFY(facade.comment(1, QStringLiteral("guardian reached")));
        QVERIFY(facade.escalate(1));
        QCOMPARE(engine.commands.back().action, AlarmAction::Escalate);
        facade.setDesk(QStringLiteral("ops"));
        QVERIFY(facade.shelve(2, QStringLiteral("maintenance crew on site"), 30));
        QCOMPARE(engine.commands.back().durationMs, 30 * 60'000);
        QCOMPARE(engine.commands.back().desk, QStringLiteral("ops"));
        QVERIFY(facade.unshelve(2));
        QCOMPARE(facade.lastError(), QString());
    }

    void refusedCommandShowsLastError()
    {
        FakeEngine engine;
        engine.add(alarm(1, QStringLiteral("sos"), 1, opsOnly));
        AlarmsFacade facade(nullptr);
        engine.connect(facade);
        QSignalSpy error(&facade, &AlarmsFacade::lastErrorChanged);
        QVERIFY(!facade.shelve(1, QStringLiteral("too noisy"), 10));
        QCOMPARE(facade.lastError(), QStringLiteral("priority-1 alarms cannot be shelved"));
        QCOMPARE(error.count(), 1);
        QVERIFY(!facade.close(1)); // still active
        QVERIFY(facade.lastError().contains(QStringLiteral("still active")));
        QVERIFY(facade.acknowledge(1));
        QCOMPARE(facade.lastError(), QString());
        QVERIFY(!facade.acknowledge(1));
        QCOMPARE(facade.lastError(), QStringLiteral("the alarm is already acknowledged"));
        facade.clearError();
        QCOMPARE(facade.lastError(), QString());

        AlarmsFacade unwired(nullptr);
        QVERIFY(!unwired.acknowledge(1));
        QVERIFY(!unwired.lastError().isEmpty());
    }

    void callbackFromAnotherThreadRefreshesAtOnce()
    {
        FakeEngine engine;
        engine.add(alarm(1, QStringLiteral("camera_frozen"), 3, opsOnly));
        AlarmsFacade facade(nullptr);
        engine.connect(facade, 3'600'000); // no polling: only the callback can bring it
        QCOMPARE(facade.model()->rowCount(), 1);
        QSignalSpy cue(&facade, &AlarmsFacade::cueRequested);
        const std::function<void()> notify = facade.changeNotifier();
        std::thread fusion([&] {
            engine.add(alarm(2, QStringLiteral("sos"), 1, opsOnly));
            for (int i = 0; i < 50; ++i)
                notify(); // a burst of callbacks: one refresh is enough
        });
        fusion.join();
        QTRY_COMPARE_WITH_TIMEOUT(facade.model()->rowCount(), 2, 1000);
        QCOMPARE(facade.model()->index(0).data(AlarmListModel::TypeRole).toString(), QStringLiteral("sos"));
        QCOMPARE(cue.count(), 1);
        QCOMPARE(cue.first().at(0).toInt(), 1);
        QVERIFY(facade.urgent());

        // A late callback after the facade is gone does nothing.
        std::function<void()> late;
        {
            AlarmsFacade gone(nullptr);
            late = gone.changeNotifier();
        }
        std::thread([&] { late(); }).join();
        QCoreApplication::processEvents();
    }

    void pollingPicksUpTheVersion()
    {
        FakeEngine engine;
        AlarmsFacade facade(nullptr);
        engine.connect(facade, 20);
        QCOMPARE(facade.count(), 0);
        QCOMPARE(facade.highestPriority(), 0);
        QSignalSpy cue(&facade, &AlarmsFacade::cueRequested);
        engine.add(alarm(5, QStringLiteral("ap_offline"), 2, opsOnly));
        QTRY_COMPARE_WITH_TIMEOUT(facade.count(), 1, 1000);
        QCOMPARE(cue.count(), 1);
        QCOMPARE(cue.first().at(0).toInt(), 2);
        QVERIFY(!facade.urgent());
        // Ages tick on the same timer.
        QCOMPARE(facade.model()->index(0).data(AlarmListModel::AgeTextRole).toString(), QStringLiteral("55 s"));
        engine.now += 10'000;
        QTRY_COMPARE_WITH_TIMEOUT(facade.model()->index(0).data(AlarmListModel::AgeTextRole).toString(),
                                  QStringLiteral("1 min"), 1000);
    }

    void problemsReachTheBanner()
    {
        FakeEngine engine;
        AlarmsFacade facade(nullptr);
        QStringList problems;
        facade.setProblemsProvider([&problems] { return problems; });
        engine.connect(facade, 20);
        QSignalSpy changed(&facade, &AlarmsFacade::problemsChanged);
        problems = {QStringLiteral("the gateway is unusable")};
        engine.now += 1000; // asked about once a second of the console's clock
        QTRY_COMPARE_WITH_TIMEOUT(facade.problems(), problems, 1000);
        QCOMPARE(changed.count(), 1);
        problems.clear();
        engine.now += 1000;
        QTRY_VERIFY_WITH_TIMEOUT(facade.problems().isEmpty(), 1000);
        QCOMPARE(changed.count(), 2);
    }

    void deskFigures()
    {
        FakeEngine engine;
        DeskKpis ops;
        ops.desk = QStringLiteral("ops");
        ops.alarmsPer10Min = 12.5;
        ops.current10Min = 14;
        ops.peak10Min = 20;
        ops.inFlood = true;
        ops.timeInFloodPercent = 3.2;
        ops.stale = 2;
        ops.chattering = 1;
        DeskKpis police;
        police.desk = QStringLiteral("police-112");
        police.current10Min = 1;
        engine.kpis = {ops, police};
        engine.add(alarm(1, QStringLiteral("fall"), 1, opsOnly));
        AlarmsFacade facade(nullptr);
        QSignalSpy kpis(&facade, &AlarmsFacade::kpisChanged);
        engine.connect(facade);
        QCOMPARE(kpis.count(), 1);
        QVERIFY(facade.inFlood());
        QCOMPARE(facade.current10Min(), 14);
        QCOMPARE(facade.peak10Min(), 20);
        QCOMPARE(facade.alarmsPer10Min(), 12.5);
        QCOMPARE(facade.timeInFloodPercent(), 3.2);
        QCOMPARE(facade.stale(), 2);
        QCOMPARE(facade.chattering(), 1);
        facade.setDesk(QStringLiteral("police-112"));
        QVERIFY(!facade.inFlood());
        QCOMPARE(facade.current10Min(), 1);
        QCOMPARE(facade.count(), 0);
        QCOMPARE(facade.model()->rowCount(), 0);
    }

    void selectionShowsProcedureAndHistory()
    {
        FakeEngine engine;
        engine.add(alarm(3, QStringLiteral("sos"), 1, opsOnly));
        engine.add(alarm(4, QStringLiteral("low_battery"), 4, opsOnly));
        AlarmsFacade facade(nullptr);
        engine.connect(facade);
        QCOMPARE(facade.procedure(QStringLiteral("sos")).first(), QStringLiteral("CCTV 확인"));
        QVERIFY(facade.procedure(QStringLiteral("low_battery")).isEmpty());

        QSignalSpy selected(&facade, &AlarmsFacade::selected);
        facade.select(3);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.first().at(0).toDouble(), 3.0);
        QCOMPARE(selected.first().at(1).toDouble(), 37.61);
        QCOMPARE(selected.first().at(2).toDouble(), 126.92);
        QCOMPARE(selected.first().at(3).toString(), QStringLiteral("SD-000003"));
        QCOMPARE(facade.current().value(QStringLiteral("typeText")).toString(), QStringLiteral("SOS emergency call"));
        QCOMPARE(facade.currentProcedure().size(), 3);
        QCOMPARE(facade.currentHistory().size(), 1);

        QVERIFY(facade.tickStep(3, 2));
        QCOMPARE(engine.commands.back().action, AlarmAction::ProcedureStep);
        QCOMPARE(engine.commands.back().text, QStringLiteral("2"));
        QCOMPARE(facade.currentTicked(), QList<int>{2});
        QVERIFY(facade.tickStep(3, 1));
        QCOMPARE(facade.currentTicked(), (QList<int>{1, 2}));
        QCOMPARE(facade.currentTickedMask(), 0b11);
        QVERIFY(facade.tickStep(3, 2)); // unticked
        QCOMPARE(facade.currentTicked(), QList<int>{1});
        const QVariantList history = facade.currentHistory();
        QCOMPARE(history.size(), 4);
        const QVariantMap last = history.last().toMap();
        QCOMPARE(last.value(QStringLiteral("action")).toString(), QStringLiteral("procedure_step"));
        QCOMPARE(last.value(QStringLiteral("actionText")).toString(), QStringLiteral("Procedure step"));
        QCOMPARE(last.value(QStringLiteral("reason")).toString(), QStringLiteral("2"));
        QCOMPARE(last.value(QStringLiteral("actor")).toString(), facade.operatorName());
        QCOMPARE(facade.history(4).size(), 1);

        // A change made elsewhere (another console) reaches the selected alarm's details.
        QSignalSpy current(&facade, &AlarmsFacade::currentChanged);
        AlarmCommand other;
        other.alarmId = 3;
        other.action = AlarmAction::Acknowledge;
        other.actor = QStringLiteral("lee");
        other.desk = QStringLiteral("supervisor");
        QVERIFY(engine.execute(other).ok);
        facade.refresh();
        QCOMPARE(current.count(), 1);
        QCOMPARE(facade.current().value(QStringLiteral("state")).toString(), QStringLiteral("acknowledged"));
        QCOMPARE(facade.currentHistory().last().toMap().value(QStringLiteral("actor")).toString(),
                 QStringLiteral("lee"));

        facade.setLanguage(QStringLiteral("en"));
        QCOMPARE(facade.procedure(QStringLiteral("sos")).last(), QStringLiteral("Report to 112"));

        // The selected alarm closes: the details empty, the selection stays for the operator.
        {
            std::lock_guard lock(engine.mutex);
            engine.alarms.erase(engine.alarms.begin());
            ++engine.version;
        }
        facade.refresh();
        QVERIFY(facade.current().isEmpty());
        QVERIFY(facade.currentHistory().isEmpty());
        QCOMPARE(facade.selectedId(), 3);
        facade.select(0);
        QCOMPARE(selected.count(), 1);
    }

    // Headless (no sound server): the cues degrade to one log line, never a crash or a hang.
    void soundDegradesQuietlyWithoutAudio()
    {
        if (QFile::exists(QStringLiteral("/run/pulse/native")) ||
            QFile::exists(QStringLiteral("/var/run/pulse/native")))
            QSKIP("a system-wide sound server is running here");
        QTemporaryDir runtime;
        const QByteArray oldRuntime = qgetenv("XDG_RUNTIME_DIR");
        const QByteArray oldServer = qgetenv("PULSE_SERVER");
        qputenv("XDG_RUNTIME_DIR", runtime.path().toLocal8Bit());
        qunsetenv("PULSE_SERVER");
        {
            FakeEngine engine;
            engine.add(alarm(1, QStringLiteral("sos"), 1, opsOnly));
            AlarmSound sound;
            AlarmsFacade facade(nullptr);
            QTest::ignoreMessage(QtInfoMsg, "alarm sounds are off: no sound server");
            facade.setSound(&sound);
            engine.connect(facade);
            QVERIFY(!sound.available());
            QVERIFY(sound.isUrgent()); // asked for, not heard
            engine.add(alarm(2, QStringLiteral("ap_offline"), 2, opsOnly));
            facade.refresh();
            facade.setMuted(true);
            QVERIFY(sound.isMuted());
            QVERIFY(facade.acknowledge(1));
            QVERIFY(!sound.isUrgent());
        }
        qputenv("XDG_RUNTIME_DIR", oldRuntime);
        if (!oldServer.isEmpty())
            qputenv("PULSE_SERVER", oldServer);
    }

    void tonesAreInTheBinary_data()
    {
        QTest::addColumn<AlarmSound::Cue>("cue");
        QTest::newRow("urgent") << AlarmSound::Cue::Urgent;
        QTest::newRow("double") << AlarmSound::Cue::Double;
        QTest::newRow("soft") << AlarmSound::Cue::Soft;
    }

    void tonesAreInTheBinary()
    {
        QFETCH(AlarmSound::Cue, cue);
        QFile file(AlarmSound::resourceOf(cue));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray wav = file.readAll();
        QVERIFY(wav.size() > 44 && wav.size() < 64 * 1024);
        QCOMPARE(wav.left(4), QByteArray("RIFF"));
        QCOMPARE(wav.mid(8, 8), QByteArray("WAVEfmt "));
        QCOMPARE(wav.at(20), char(1));  // PCM
        QCOMPARE(wav.at(34), char(16)); // bits per sample
    }

    // Issue 11: with the engine's asynchronous form the GUI thread does not wait for a save. A
    // refusal is known at once; an accepted command says "saving" until its outcome arrives from
    // another thread; a save that fails leaves the alarm as it was and says why.
    void commandsBeingSavedDoNotBlockTheScreen()
    {
        FakeEngine engine;
        engine.add(alarm(1, QStringLiteral("sos"), 1, opsOnly));
        AlarmsFacade facade(nullptr);
        facade.setOperatorName(QStringLiteral("kim.officer"));
        engine.connect(facade);
        std::vector<std::pair<AlarmCommand, AlarmsFacade::Done>> queued; // what the "disk" has not done yet
        facade.setAsyncCommandExecutor(
            [&](const AlarmCommand &c, AlarmsFacade::Done done) -> std::optional<AlarmCommandResult> {
                if (c.action == AlarmAction::Close)
                    return AlarmCommandResult::refused(AlarmRefusal::StillActive, {}, {});
                queued.emplace_back(c, std::move(done));
                return std::nullopt;
            });
        QSignalSpy saving(&facade, &AlarmsFacade::savingChanged);
        QVERIFY(!facade.close(1)); // refused at once
        QVERIFY(!facade.lastError().isEmpty());
        QVERIFY(!facade.saving());

        QVERIFY(facade.acknowledge(1, QStringLiteral("on our way")));
        QVERIFY(facade.saving());
        QVERIFY(facade.lastError().isEmpty());
        QCOMPARE(int(queued.size()), 1);
        QVERIFY(engine.commands.empty()); // nothing applied yet

        // The save completes on another thread.
        std::thread worker([&] {
            const AlarmCommandResult r = engine.execute(queued[0].first);
            queued[0].second(r);
        });
        worker.join();
        QTRY_VERIFY(!facade.saving());
        QCOMPARE(saving.count(), 2);
        QVERIFY(facade.lastError().isEmpty());
        QTRY_COMPARE(facade.unacknowledgedCount(), 0); // refreshed with the result

        // A save that fails: the alarm stays, the error is shown.
        QVERIFY(facade.comment(1, QStringLiteral("guardian called")));
        QCOMPARE(int(queued.size()), 2);
        std::thread failing([&] {
            queued[1].second(AlarmCommandResult::refused(AlarmRefusal::NotSaved, QStringLiteral("disk I/O error"), {}));
        });
        failing.join();
        QTRY_VERIFY(!facade.saving());
        QVERIFY2(facade.lastError().contains(QLatin1String("disk I/O error")), qPrintable(facade.lastError()));
    }
};

QTEST_GUILESS_MAIN(TestAlarmsFacade)
#include "tst_alarmsfacade.moc"
