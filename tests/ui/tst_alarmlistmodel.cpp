// The alarm list diffs each snapshot into row inserts, removals, moves and changes (never a reset),
// so the operator's selection and scroll position survive alarms streaming in.
#include "AlarmListModel.h"
#include "TestSupport.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace gwanje;

namespace {
constexpr qint64 t0 = 1'760'000'000'000; // some UTC ms

Alarm alarm(qint64 id, const QString &type, int priority, qint64 raisedAtMs,
            QStringList desks = {QStringLiteral("ops")})
{
    Alarm a;
    a.id = id;
    a.type = type;
    a.priority = priority;
    a.raisedAtMs = raisedAtMs;
    a.updatedAtMs = raisedAtMs;
    a.source = QStringLiteral("SRC-%1").arg(id);
    a.district = QStringLiteral("은평구");
    a.desks = std::move(desks);
    a.latitude = 37.6;
    a.longitude = 126.93;
    return a;
}

QList<qint64> ids(const AlarmListModel &model)
{
    QList<qint64> out;
    for (int i = 0; i < model.rowCount(); ++i)
        out.append(model.index(i).data(AlarmListModel::IdRole).toLongLong());
    return out;
}

// The order the model must show: filtered, priority first, then newest raised first.
QList<qint64> expected(std::vector<Alarm> alarms, const AlarmListModel &model)
{
    std::erase_if(alarms, [&model](const Alarm &a) {
        return (!model.desk().isEmpty() && !a.dispatchedTo(model.desk())) || a.priority > model.minimumPriority() ||
               model.hiddenStates().contains(alarmStateName(a.state));
    });
    std::sort(alarms.begin(), alarms.end(), [](const Alarm &a, const Alarm &b) {
        return a.priority != b.priority       ? a.priority < b.priority
               : a.raisedAtMs != b.raisedAtMs ? a.raisedAtMs > b.raisedAtMs
                                              : a.id > b.id;
    });
    QList<qint64> out;
    for (const Alarm &a : alarms)
        out.append(a.id);
    return out;
}
} // namespace

class TestAlarmListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { test::failOnUnexpectedWarnings(); }

    void sortsAndDiffsWithoutReset()
    {
        AlarmListModel model(nullptr);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy count(&model, &AlarmListModel::countChanged);

        std::vector<Alarm> alarms{alarm(1, QStringLiteral("ap_offline"), 3, t0),
                                  alarm(2, QStringLiteral("safe_zone_exit"), 2, t0 + 1000),
                                  alarm(3, QStringLiteral("camera_offline"), 3, t0 + 2000)};
        model.setAlarms(alarms, t0 + 10'000);
        QCOMPARE(ids(model), (QList<qint64>{2, 3, 1}));
        QCOMPARE(inserted.count(), 1); // one run of new rows
        QCOMPARE(count.count(), 1);
        QCOMPARE(model.property("count").toInt(), 3);

        // The operator selects the AP alarm (the last row); an SOS arrives on top.
        QPersistentModelIndex selected = model.index(2);
        alarms.push_back(alarm(4, QStringLiteral("sos"), 1, t0 + 5000));
        model.setAlarms(alarms, t0 + 10'000);
        QCOMPARE(ids(model), (QList<qint64>{4, 2, 3, 1}));
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(selected.row(), 3);
        QCOMPARE(selected.data(AlarmListModel::IdRole).toLongLong(), 1);

        // The same snapshot again: nothing happens.
        changed.clear();
        model.setAlarms(alarms, t0 + 10'000);
        QCOMPARE(changed.count(), 0);

        // An escalation makes the AP alarm priority 2: it moves up, past the camera alarm.
        alarms[0].priority = 2;
        alarms[0].escalations = 1;
        alarms[0].updatedAtMs = t0 + 6000;
        model.setAlarms(alarms, t0 + 10'000);
        QCOMPARE(ids(model), (QList<qint64>{4, 2, 1, 3}));
        QCOMPARE(moved.count(), 1);
        QCOMPARE(selected.row(), 2);
        QCOMPARE(selected.data(AlarmListModel::EscalationsRole).toInt(), 1);

        // Acknowledging the SOS changes its row's data only.
        changed.clear();
        alarms[3].state = AlarmState::Acknowledged;
        alarms[3].acknowledged = true;
        alarms[3].updatedAtMs = t0 + 7000;
        model.setAlarms(alarms, t0 + 10'000);
        QCOMPARE(ids(model), (QList<qint64>{4, 2, 1, 3}));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 0);
        QCOMPARE(model.index(0).data(AlarmListModel::StateRole).toString(), QStringLiteral("acknowledged"));
        QVERIFY(model.index(0).data(AlarmListModel::AcknowledgedRole).toBool());

        // The safe-zone exit is closed: its row goes.
        alarms.erase(alarms.begin() + 1);
        model.setAlarms(alarms, t0 + 10'000);
        QCOMPARE(ids(model), (QList<qint64>{4, 1, 3}));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(selected.data(AlarmListModel::IdRole).toLongLong(), 1);
        QCOMPARE(reset.count(), 0);
    }

    void filtersAreDiffsToo()
    {
        AlarmListModel model(nullptr);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        std::vector<Alarm> alarms{
            alarm(1, QStringLiteral("sos"), 1, t0, {QStringLiteral("ops"), QStringLiteral("police-112")}),
            alarm(2, QStringLiteral("fall"), 1, t0 + 100, {QStringLiteral("ops"), QStringLiteral("fire-119")}),
            alarm(3, QStringLiteral("camera_offline"), 3, t0 + 200),
            alarm(4, QStringLiteral("sensor_threshold"), 4, t0 + 300),
        };
        alarms[1].state = AlarmState::Acknowledged;
        alarms[1].acknowledged = true;
        alarms[2].district = QStringLiteral("강남구");
        model.setAlarms(alarms, t0 + 1000);
        QCOMPARE(ids(model), (QList<qint64>{2, 1, 3, 4}));

        QSignalSpy filter(&model, &AlarmListModel::filterChanged);
        model.setDesk(QStringLiteral("police-112"));
        QCOMPARE(ids(model), (QList<qint64>{1}));
        model.setDesk(QString());
        QCOMPARE(ids(model), (QList<qint64>{2, 1, 3, 4}));
        model.setHiddenStates({QStringLiteral("acknowledged")});
        QCOMPARE(ids(model), (QList<qint64>{1, 3, 4}));
        model.setMinimumPriority(3);
        QCOMPARE(ids(model), (QList<qint64>{1, 3}));
        model.setText(QStringLiteral("강남"));
        QCOMPARE(ids(model), (QList<qint64>{3}));
        model.setText(QStringLiteral("SOS")); // the type and its text
        QCOMPARE(ids(model), (QList<qint64>{1}));
        model.setText(QStringLiteral("src-3")); // the source, any case
        QCOMPARE(ids(model), (QList<qint64>{3}));
        model.setText(QString());
        model.setHiddenStates({});
        model.setMinimumPriority(4);
        QCOMPARE(ids(model), (QList<qint64>{2, 1, 3, 4}));
        QCOMPARE(filter.count(), 10);
        QCOMPARE(reset.count(), 0);
    }

    void rolesSpeakTheOperatorsLanguage()
    {
        AlarmListModel model(nullptr);
        Alarm a = alarm(7, QStringLiteral("outage"), 2, t0);
        a.members = {QStringLiteral("AP-1"), QStringLiteral("AP-2"), QStringLiteral("CAM-9")};
        a.cameras = {QStringLiteral("CAM-9")};
        a.assignee = QStringLiteral("kim");
        model.setAlarms({a}, t0 + 3 * 3'600'000 + 5 * 60'000);
        const QModelIndex i = model.index(0);
        QCOMPARE(i.data(AlarmListModel::TypeTextRole).toString(), QStringLiteral("Grouped outage"));
        QCOMPARE(i.data(AlarmListModel::StateTextRole).toString(), QStringLiteral("Unacknowledged"));
        QCOMPARE(i.data(AlarmListModel::AgeTextRole).toString(), QStringLiteral("3 h 5 min"));
        QCOMPARE(i.data(AlarmListModel::MemberCountRole).toInt(), 3);
        QVERIFY(i.data(AlarmListModel::GroupedRole).toBool());
        QCOMPARE(i.data(AlarmListModel::CamerasRole).toStringList(), QStringList{QStringLiteral("CAM-9")});
        QCOMPARE(i.data(AlarmListModel::RaisedAtRole).toDateTime().toMSecsSinceEpoch(), t0);
        QCOMPARE(i.data(AlarmListModel::DistrictRole).toString(), QStringLiteral("은평구"));
        QVERIFY(model.roleNames().values().contains("alarmId"));
        QCOMPARE(model.describe(a).value(QStringLiteral("typeText")).toString(), QStringLiteral("Grouped outage"));
        QCOMPARE(AlarmListModel::typeText(QStringLiteral("flood_gate")), QStringLiteral("flood_gate"));
        QCOMPARE(AlarmListModel::ageText(45'000), QStringLiteral("45 s"));
        QCOMPARE(AlarmListModel::ageText(12 * 60'000 + 59'000), QStringLiteral("12 min"));
        QCOMPARE(AlarmListModel::ageText(50 * 3'600'000LL), QStringLiteral("2 d"));
        QCOMPARE(AlarmListModel::ageText(-5000), QStringLiteral("0 s"));
    }

    void agesTickWithoutTouchingOtherRoles()
    {
        AlarmListModel model(nullptr);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setAlarms({alarm(1, QStringLiteral("sos"), 1, t0), alarm(2, QStringLiteral("fall"), 1, t0 - 3'600'000)},
                        t0 + 10'000);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setNow(t0 + 10'500); // same texts
        QCOMPARE(changed.count(), 0);
        model.setNow(t0 + 11'000);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 0);
        QCOMPARE(changed.first().at(1).toModelIndex().row(), 0);
        QCOMPARE(changed.first().at(2).value<QList<int>>(), QList<int>{AlarmListModel::AgeTextRole});
        QCOMPARE(model.index(0).data(AlarmListModel::AgeTextRole).toString(), QStringLiteral("11 s"));
    }

    // A long random stream of snapshots (raises, closes, escalations, acknowledgements) through
    // changing filters: the rows always match a fresh sort, and are never reset.
    void randomStreamKeepsOrder()
    {
        AlarmListModel model(nullptr);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QRandomGenerator rng(42);
        const QStringList types{QStringLiteral("sos"), QStringLiteral("fall"), QStringLiteral("ap_offline"),
                                QStringLiteral("camera_frozen")};
        const QStringList desks{QStringLiteral("ops"), QStringLiteral("police-112"), QStringLiteral("fire-119")};
        std::vector<Alarm> alarms;
        qint64 nextId = 1;
        for (int step = 0; step < 400; ++step) {
            const int changes = 1 + int(rng.bounded(6));
            for (int c = 0; c < changes; ++c) {
                const int what = int(rng.bounded(10));
                if (what < 4 || alarms.empty()) {
                    alarms.push_back(alarm(nextId, types[int(rng.bounded(4))], 1 + int(rng.bounded(4)),
                                           t0 + qint64(rng.bounded(1000)) * 1000, {desks[int(rng.bounded(3))]}));
                    ++nextId;
                } else {
                    const std::size_t k = rng.bounded(quint32(alarms.size()));
                    Alarm &a = alarms[k];
                    a.updatedAtMs += 1;
                    if (what < 6)
                        alarms.erase(alarms.begin() + qsizetype(k));
                    else if (what < 8)
                        a.priority = 1 + int(rng.bounded(4));
                    else
                        a.state =
                            a.state == AlarmState::Acknowledged ? AlarmState::Unacknowledged : AlarmState::Acknowledged;
                }
            }
            if (step % 50 == 25)
                model.setDesk(step % 100 == 25 ? desks[int(rng.bounded(3))] : QString());
            if (step % 70 == 35)
                model.setHiddenStates(model.hiddenStates().isEmpty() ? QStringList{QStringLiteral("acknowledged")}
                                                                     : QStringList{});
            if (step % 90 == 45)
                model.setMinimumPriority(model.minimumPriority() == 4 ? 2 : 4);
            std::vector<Alarm> shuffled = alarms;
            std::shuffle(shuffled.begin(), shuffled.end(), rng);
            model.setAlarms(shuffled, t0 + 2'000'000);
            QCOMPARE(ids(model), expected(alarms, model));
        }
        QVERIFY(nextId > 300);
        QCOMPARE(reset.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAlarmListModel)
#include "tst_alarmlistmodel.moc"
