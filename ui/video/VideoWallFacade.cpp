#include "VideoWallFacade.h"

#include "QmlSingleton_p.h"

#include <QSettings>

#include <algorithm>

namespace gwanje {

namespace {

constexpr int kMaxTiles = 16; // the largest layout (4x4)

// A layout of `n` x `n` cells where the first tile covers `big` x `big` of them (0: no large
// tile), the others filling the remaining cells row by row.
std::vector<QRectF> grid(int n, int big)
{
    std::vector<QRectF> rects;
    const double cell = 1.0 / n;
    if (big > 0)
        rects.emplace_back(0, 0, big * cell, big * cell);
    for (int row = 0; row < n; ++row)
        for (int column = 0; column < n; ++column)
            if (row >= big || column >= big)
                rects.emplace_back(column * cell, row * cell, cell, cell);
    return rects;
}

} // namespace

VideoWallFacade::VideoWallFacade(QObject *parent)
    : QObject(parent)
{
    setLayout(QStringLiteral("2x2"));
    while (m_cameras.size() < kMaxTiles)
        m_cameras.append(QString());
}

VideoWallFacade::~VideoWallFacade() = default;

VideoWallFacade *VideoWallFacade::create(QQmlEngine *, QJSEngine *)
{
    return detail::provideSingleton<VideoWallFacade>("Wall");
}

void VideoWallFacade::setInstance(VideoWallFacade *instance)
{
    detail::singletonSlot<VideoWallFacade>() = instance;
}

QStringList VideoWallFacade::layouts()
{
    return {QStringLiteral("1"),   QStringLiteral("2x2"), QStringLiteral("3x3"),
            QStringLiteral("4x4"), QStringLiteral("1+5"), QStringLiteral("1+7")};
}

std::vector<QRectF> VideoWallFacade::layoutRects(const QString &layout)
{
    if (layout == QLatin1String("1"))
        return grid(1, 0);
    if (layout == QLatin1String("2x2"))
        return grid(2, 0);
    if (layout == QLatin1String("3x3"))
        return grid(3, 0);
    if (layout == QLatin1String("4x4"))
        return grid(4, 0);
    if (layout == QLatin1String("1+5"))
        return grid(3, 2);
    if (layout == QLatin1String("1+7"))
        return grid(4, 3);
    return {};
}

void VideoWallFacade::setLayout(const QString &layout)
{
    std::vector<QRectF> rects = layoutRects(layout);
    if (rects.empty() || layout == m_layout)
        return;
    m_layout = layout;
    m_rects = std::move(rects);
    if (m_maximized >= tileCount())
        setMaximized(-1);
    Q_EMIT layoutChanged();
    Q_EMIT camerasChanged(); // as many as the tiles
    save();
}

QStringList VideoWallFacade::cameras() const
{
    return m_cameras.mid(0, tileCount());
}

void VideoWallFacade::setMaximized(int tile)
{
    tile = tile >= 0 && tile < tileCount() ? tile : -1;
    if (tile == m_maximized)
        return;
    m_maximized = tile;
    Q_EMIT maximizedChanged();
}

void VideoWallFacade::setShown(bool shown)
{
    if (shown == m_shown)
        return;
    m_shown = shown;
    Q_EMIT shownChanged();
}

void VideoWallFacade::setProblem(const QString &problem)
{
    if (problem == m_problem)
        return;
    m_problem = problem;
    Q_EMIT problemChanged();
}

QRectF VideoWallFacade::tileRect(int tile) const
{
    return tile >= 0 && tile < tileCount() ? m_rects[std::size_t(tile)] : QRectF();
}

void VideoWallFacade::assign(int tile, const QString &cameraId)
{
    if (tile < 0 || tile >= kMaxTiles || (!cameraId.isEmpty() && !site(cameraId)))
        return;
    if (m_cameras[tile] == cameraId)
        return;
    // One tile per camera: the one it leaves gets what this tile showed (a swap when dragged
    // from tile to tile).
    if (const qsizetype was = cameraId.isEmpty() ? -1 : m_cameras.indexOf(cameraId); was >= 0)
        m_cameras[was] = m_cameras[tile];
    m_cameras[tile] = cameraId;
    Q_EMIT camerasChanged();
    save();
}

const Asset *VideoWallFacade::site(const QString &cameraId) const
{
    if (!m_registry || cameraId.isEmpty())
        return nullptr;
    const int index = m_registry->indexOf(cameraId);
    if (index < 0)
        return nullptr;
    const Asset &asset = m_registry->assets()[std::size_t(index)];
    return asset.kind == AssetKind::CameraSite ? &asset : nullptr;
}

QVariantMap VideoWallFacade::camera(const QString &cameraId) const
{
    const Asset *asset = site(cameraId);
    if (!asset)
        return {};
    const auto &districts = m_registry->districts();
    const QString district =
        asset->district >= 0 ? districts[std::size_t(asset->district)].name : asset->sourceDistrict;
    // The site's name is its street address: shown from after the district (which the tile
    // shows apart), or at least without the city ("서울특별시 동대문구 …" → "동대문구 …").
    QString name = asset->name.isEmpty() ? asset->address : asset->name;
    if (const qsizetype at = district.isEmpty() ? -1 : name.indexOf(district); at >= 0) {
        name = name.mid(at + district.size()).trimmed();
    } else if (const qsizetype space = name.indexOf(QLatin1Char(' ')); space > 0) {
        const QString first = name.left(space);
        if (first.endsWith(QStringLiteral("특별시")) || first.endsWith(QStringLiteral("광역시")) ||
            first.endsWith(QStringLiteral("특별자치시")) || first.endsWith(QStringLiteral("도")))
            name = name.mid(space + 1);
    }
    return {
        {QStringLiteral("id"), asset->id},
        {QStringLiteral("name"), name},
        {QStringLiteral("district"), district},
        {QStringLiteral("purpose"), asset->purpose},
        {QStringLiteral("count"), asset->count},
    };
}

CameraStreams VideoWallFacade::streams(const QString &cameraId) const
{
    const Asset *asset = site(cameraId);
    if (!asset)
        return {};
    if (!asset->streamMain.isEmpty() || !asset->streamSub.isEmpty()) {
        // A camera with one stream shows it everywhere.
        return {asset->streamMain.isEmpty() ? asset->streamSub : asset->streamMain,
                asset->streamSub.isEmpty() ? asset->streamMain : asset->streamSub};
    }
    return m_resolver ? m_resolver(*asset) : CameraStreams{};
}

QString VideoWallFacade::streamUrl(const QString &cameraId, bool main) const
{
    const CameraStreams s = streams(cameraId);
    return main ? s.main : s.sub;
}

void VideoWallFacade::reportPicture(const QString &cameraId, int cameraState)
{
    if (const Asset *asset = site(cameraId); asset && m_healthReporter)
        m_healthReporter(*asset, cameraState);
}

void VideoWallFacade::setResolver(Resolver resolver)
{
    m_resolver = std::move(resolver);
    refreshStreams();
}

void VideoWallFacade::refreshStreams()
{
    ++m_revision;
    Q_EMIT streamsChanged();
}

void VideoWallFacade::setViewsFile(const QString &path, const QString &desk)
{
    m_viewsFile = path;
    m_desk = desk;
}

QStringList VideoWallFacade::defaultCameras(const AssetRegistry &registry, int count)
{
    const auto &assets = registry.assets();
    const std::size_t districts = registry.districts().size();
    // The biggest site of each district.
    std::vector<int> best(districts, -1);
    for (std::size_t i = 0; i < assets.size(); ++i) {
        const Asset &a = assets[i];
        if (a.kind != AssetKind::CameraSite || a.district < 0 || std::size_t(a.district) >= districts)
            continue;
        int &b = best[std::size_t(a.district)];
        if (b < 0 || a.count > assets[std::size_t(b)].count)
            b = int(i);
    }
    std::vector<std::size_t> order(districts);
    for (std::size_t d = 0; d < districts; ++d)
        order[d] = d;
    const std::vector<int> &perDistrict = registry.camerasPerDistrict();
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return perDistrict[a] > perDistrict[b];
    });
    QStringList ids;
    for (std::size_t d : order) {
        if (ids.size() >= count)
            break;
        if (best[d] >= 0)
            ids.append(assets[std::size_t(best[d])].id);
    }
    return ids;
}

void VideoWallFacade::setRegistry(std::shared_ptr<const AssetRegistry> registry)
{
    m_registry = std::move(registry);
    for (QString &id : m_cameras)
        id.clear();
    if (m_registry) {
        const QStringList defaults = defaultCameras(*m_registry, kMaxTiles);
        for (qsizetype i = 0; i < defaults.size(); ++i)
            m_cameras[i] = defaults[i];
        restore();
    }
    Q_EMIT camerasChanged();
    refreshStreams();
}

void VideoWallFacade::save() const
{
    if (m_viewsFile.isEmpty() || !m_registry)
        return;
    QSettings settings(m_viewsFile, QSettings::IniFormat);
    settings.beginGroup(m_desk);
    settings.setValue(QStringLiteral("auto_pop"), m_autoPop);
    settings.setValue(QStringLiteral("auto_pop_priority"), m_autoPopPriority);
    if (m_before) // an alarm's view is not the desk's: keep the one it replaced
        return;
    settings.setValue(QStringLiteral("layout"), m_layout);
    settings.setValue(QStringLiteral("cameras"), m_cameras);
}

QString VideoWallFacade::layoutFor(int cameras)
{
    return cameras <= 1 ? QStringLiteral("1")
           : cameras <= 4 ? QStringLiteral("2x2")
           : cameras <= 6 ? QStringLiteral("1+5")
           : cameras <= 8 ? QStringLiteral("1+7")
           : cameras <= 9 ? QStringLiteral("3x3")
                          : QStringLiteral("4x4");
}

void VideoWallFacade::setAutoPop(bool on)
{
    if (on == m_autoPop)
        return;
    m_autoPop = on;
    Q_EMIT autoPopChanged();
    save();
    applyAlarms();
}

void VideoWallFacade::setAutoPopPriority(int priority)
{
    priority = std::clamp(priority, 1, 4);
    if (priority == m_autoPopPriority)
        return;
    m_autoPopPriority = priority;
    Q_EMIT autoPopChanged();
    save();
    applyAlarms();
}

void VideoWallFacade::setAlarms(std::vector<WallAlarm> alarms)
{
    m_alarms = std::move(alarms);
    applyAlarms();
}

void VideoWallFacade::applyAlarms()
{
    // The candidates: allowed by the desk's settings, with cameras the city knows.
    std::vector<const WallAlarm *> candidates;
    for (const WallAlarm &a : m_alarms) {
        if (!m_autoPop || a.priority > m_autoPopPriority)
            continue;
        if (std::any_of(a.cameras.begin(), a.cameras.end(), [this](const QString &id) { return site(id); }))
            candidates.push_back(&a);
    }
    const auto best = std::min_element(candidates.begin(), candidates.end(), [](const WallAlarm *a, const WallAlarm *b) {
        return std::pair(a->priority, a->id) < std::pair(b->priority, b->id);
    });
    const WallAlarm shown = best == candidates.end() ? WallAlarm{} : **best;
    const int waiting = std::max(0, int(candidates.size()) - 1);
    const bool same = shown.id == m_alarm.id && shown.cameras == m_alarm.cameras && shown.title == m_alarm.title;
    if (same && waiting == m_alarmsWaiting)
        return;
    m_alarmsWaiting = waiting;
    if (!same) {
        if (shown.id != 0) {
            if (!m_before)
                m_before = View{m_layout, m_cameras, m_maximized};
            QStringList cameras;
            for (const QString &id : shown.cameras)
                if (site(id) && cameras.size() < kMaxTiles)
                    cameras.append(id);
            setMaximized(-1);
            for (qsizetype i = 0; i < kMaxTiles; ++i)
                m_cameras[i] = cameras.value(i);
            const QString layout = layoutFor(int(cameras.size()));
            if (layout != m_layout)
                setLayout(layout); // says camerasChanged too
            else
                Q_EMIT camerasChanged();
        } else if (m_before) {
            const View before = std::exchange(m_before, std::nullopt).value();
            m_cameras = before.cameras;
            if (before.layout != m_layout)
                setLayout(before.layout);
            else
                Q_EMIT camerasChanged();
            setMaximized(before.maximized);
        }
        m_alarm = shown;
    }
    Q_EMIT alarmChanged();
}

void VideoWallFacade::restore()
{
    if (m_viewsFile.isEmpty())
        return;
    QSettings settings(m_viewsFile, QSettings::IniFormat);
    settings.beginGroup(m_desk);
    m_autoPop = settings.value(QStringLiteral("auto_pop"), m_autoPop).toBool();
    m_autoPopPriority = std::clamp(settings.value(QStringLiteral("auto_pop_priority"), m_autoPopPriority).toInt(), 1, 4);
    Q_EMIT autoPopChanged();
    const QString layout = settings.value(QStringLiteral("layout")).toString();
    const QStringList saved = settings.value(QStringLiteral("cameras")).toStringList();
    // A camera no longer in the city's files leaves its tile empty.
    if (!saved.isEmpty()) {
        for (qsizetype i = 0; i < kMaxTiles; ++i)
            m_cameras[i] = i < saved.size() && site(saved[i]) ? saved[i] : QString();
    }
    if (!layoutRects(layout).empty())
        setLayout(layout);
}

} // namespace gwanje
