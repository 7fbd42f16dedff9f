#pragma once

#include "assets/AssetRegistry.h"

#include <QObject>
#include <QQmlEngine>
#include <QRectF>
#include <QStringList>
#include <QVariantMap>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace gwanje {

// An alarm whose cameras the wall may show: unacknowledged at this desk, with linked cameras.
struct WallAlarm
{
    qint64 id = 0;
    int priority = 4;
    QString title; // what the wall's header says (translated)
    QStringList cameras;
};

// A camera's two streams. Empty when it has none (yet).
struct CameraStreams
{
    QString main;
    QString sub;
};

// QML singleton `Wall`: what the CCTV wall shows. A layout (1, 2x2, 3x3, 4x4, 1+5, 1+7) of tiles
// in the unit square, the camera site on each tile, the tile maximised by a double-click, and
// each camera's name, district, purpose and stream URLs. A city's own URLs (its CCTV file's
// `stream_main`/`stream_sub` columns) always win; a site without them asks the resolver (the
// demo's simulated cameras). The view (layout and cameras) is kept per desk in the views file and
// restored at the next start. The composition root owns it. GUI thread.
class VideoWallFacade : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Wall)
    QML_SINGLETON
    Q_PROPERTY(QString layout READ layout WRITE setLayout NOTIFY layoutChanged)
    Q_PROPERTY(QStringList layouts READ layouts CONSTANT)
    Q_PROPERTY(int tileCount READ tileCount NOTIFY layoutChanged)
    // The camera site id on each tile (tileCount entries; "" for an empty tile).
    Q_PROPERTY(QStringList cameras READ cameras NOTIFY camerasChanged)
    // -1, or the tile shown alone on the whole wall (main stream).
    Q_PROPERTY(int maximized READ maximized WRITE setMaximized NOTIFY maximizedChanged)
    // Moves when stream URLs may have changed (the simulated cameras came up): bindings that
    // call streamUrl() read it.
    Q_PROPERTY(int revision READ revision NOTIFY streamsChanged)
    Q_PROPERTY(bool shown READ isShown WRITE setShown NOTIFY shownChanged)
    // Alarm auto-pop: the alarm whose cameras the wall shows (0: none), its title, how many more
    // wait; whether this desk pops alarms, and from which priority (1 only SOS-like, 4 all).
    Q_PROPERTY(double alarmId READ alarmIdValue NOTIFY alarmChanged)
    Q_PROPERTY(QString alarmTitle READ alarmTitle NOTIFY alarmChanged)
    Q_PROPERTY(int alarmsWaiting READ alarmsWaiting NOTIFY alarmChanged)
    Q_PROPERTY(bool autoPop READ autoPop WRITE setAutoPop NOTIFY autoPopChanged)
    Q_PROPERTY(int autoPopPriority READ autoPopPriority WRITE setAutoPopPriority NOTIFY autoPopChanged)
    // What keeps the wall from showing video (translated), for its header; empty when nothing.
    Q_PROPERTY(QString problem READ problem NOTIFY problemChanged)

public:
    // No default argument: see AssetsFacade.
    explicit VideoWallFacade(QObject *parent);
    ~VideoWallFacade() override;
    static VideoWallFacade *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);
    static void setInstance(VideoWallFacade *instance);

    // The tiles of a layout in the unit square, in tile order (the large tile first); empty for
    // an unknown name.
    static std::vector<QRectF> layoutRects(const QString &layout);
    static QStringList layouts();

    // The cameras to choose from; restores the desk's saved view or, if none, fills the wall with
    // the default cameras (defaultCameras()).
    void setRegistry(std::shared_ptr<const AssetRegistry> registry);
    // Streams for sites that have none in the city's file (the simulated cameras), or empty.
    using Resolver = std::function<CameraStreams(const Asset &site)>;
    void setResolver(Resolver resolver);
    // The resolver's answers changed (e.g. the simulator is up): bindings reread the URLs.
    void refreshStreams();
    // Where views are kept (an INI file) and whose they are; empty file: not kept.
    void setViewsFile(const QString &path, const QString &desk);

    // A city-wide first view: the districts with the most cameras, in that order, each by its
    // site with the most cameras. At most `count`.
    static QStringList defaultCameras(const AssetRegistry &registry, int count);

    QString layout() const { return m_layout; }
    void setLayout(const QString &layout);
    int tileCount() const { return int(m_rects.size()); }
    QStringList cameras() const;
    int maximized() const { return m_maximized; }
    void setMaximized(int tile);
    int revision() const { return m_revision; }
    bool isShown() const { return m_shown; }
    void setShown(bool shown);
    QString problem() const { return m_problem; }
    void setProblem(const QString &problem);

    // The desk's alarms with cameras that are waiting for acknowledgment (any order). The most
    // urgent (then the oldest) that auto-pop allows takes the wall, in the smallest layout that
    // holds its cameras; the view it replaced comes back when none is left.
    void setAlarms(std::vector<WallAlarm> alarms);
    qint64 alarmId() const { return m_alarm.id; }
    double alarmIdValue() const { return double(m_alarm.id); }
    QString alarmTitle() const { return m_alarm.title; }
    int alarmsWaiting() const { return m_alarmsWaiting; }
    bool autoPop() const { return m_autoPop; }
    void setAutoPop(bool on);
    int autoPopPriority() const { return m_autoPopPriority; }
    void setAutoPopPriority(int priority);
    // The smallest layout with at least `cameras` tiles.
    static QString layoutFor(int cameras);

    Q_INVOKABLE QRectF tileRect(int tile) const;
    // Puts a camera on a tile (an empty id clears it); the camera leaves any other tile it was on.
    Q_INVOKABLE void assign(int tile, const QString &cameraId);
    // {id, name, district, purpose, count} of a camera site; empty for an unknown id.
    Q_INVOKABLE QVariantMap camera(const QString &cameraId) const;
    // The site's main or sub stream; empty when it has none.
    Q_INVOKABLE QString streamUrl(const QString &cameraId, bool main) const;
    CameraStreams streams(const QString &cameraId) const;
    // A tile's judgement of its camera's picture: 0 a moving picture, 1 none (stalled or
    // failing), 2 frozen, 3 black (CameraState values); handed to the health reporter, if any.
    Q_INVOKABLE void reportPicture(const QString &cameraId, int cameraState);
    using HealthReporter = std::function<void(const Asset &site, int cameraState)>;
    void setHealthReporter(HealthReporter reporter) { m_healthReporter = std::move(reporter); }

Q_SIGNALS:
    void layoutChanged();
    void camerasChanged();
    void maximizedChanged();
    void streamsChanged();
    void shownChanged();
    void problemChanged();
    void alarmChanged();
    void autoPopChanged();

private:
    const Asset *site(const QString &cameraId) const;
    void save() const;
    void restore();
    void applyAlarms();

    // The view an alarm replaced, to come back to.
    struct View
    {
        QString layout;
        QStringList cameras;
        int maximized = -1;
    };

    std::shared_ptr<const AssetRegistry> m_registry;
    Resolver m_resolver;
    HealthReporter m_healthReporter;
    QString m_layout;
    std::vector<QRectF> m_rects;
    QStringList m_cameras; // by tile, at least as long as the largest layout
    int m_maximized = -1;
    int m_revision = 0;
    bool m_shown = false; // the app shows it; window tests that do not ask see the map alone
    QString m_problem;
    std::vector<WallAlarm> m_alarms; // as last given
    WallAlarm m_alarm;               // shown; id 0 when none
    int m_alarmsWaiting = 0;
    std::optional<View> m_before;    // set while an alarm has the wall
    bool m_autoPop = true;
    int m_autoPopPriority = 2;
    QString m_viewsFile;
    QString m_desk;
};

} // namespace gwanje
