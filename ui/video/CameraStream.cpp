#include "CameraStream.h"

#include "UiLogging.h"

#include <QElapsedTimer>
#include <QThreadPool>
#include <QUrl>
#include <QVideoFrameFormat>
#include <QVideoSink>

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <mutex>

namespace gwanje {

// What a pipeline's streaming threads share with the stream: cut loose (owner null) when the
// stream lets the pipeline go, so a late frame or error of a stopping pipeline goes nowhere.
struct CameraStream::Shared
{
    using Ptr = std::shared_ptr<Shared>;
    std::mutex mutex;
    CameraStream *owner = nullptr;
    // Frames not yet handed over, oldest first: one per beat; two may wait, so a frame that
    // arrives early (network jitter) is shown at the next beat rather than replaced.
    std::deque<std::pair<QVideoFrame, PictureStats>> waiting;
    quint64 dropped = 0; // frames let go unseen: two newer ones came while they waited
    double fps = 0;      // the stream's nominal rate, from its caps

    static GstFlowReturn onSample(GstAppSink *sink, gpointer user);
    static GstBusSyncReply onBusMessage(GstBus *bus, GstMessage *message, gpointer user);
};

namespace {

qint64 monotonicMs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.elapsed();
}

// Pipelines start and stop here, one at a time and in order (a stop after its start), never on
// the GUI thread: against a frozen server, stopping takes up to rtspsrc's teardown timeout.
QThreadPool &pipelineThread()
{
    static QThreadPool pool;
    static std::once_flag once;
    std::call_once(once, [] {
        pool.setMaxThreadCount(1);
        pool.setExpiryTimeout(-1);
    });
    return pool;
}

// The luma plane on a grid of 8-pixel steps (about 3,600 samples at 720p, 900 at 360p): the
// samples (compared with the last frame's: a picture that stops changing is frozen), the mean and
// the spread (a dark, flat one is black).
CameraStream::PictureStats pictureStats(const uchar *y, int stride, int width, int height)
{
    CameraStream::PictureStats stats;
    stats.samples.reserve(std::size_t((width / 8 + 1) * (height / 8 + 1)));
    double sum = 0, sum2 = 0;
    for (int row = 4; row < height; row += 8) {
        const uchar *line = y + std::ptrdiff_t(row) * stride;
        for (int column = 4; column < width; column += 8) {
            const uchar v = line[column];
            stats.samples.push_back(v);
            sum += v;
            sum2 += double(v) * v;
        }
    }
    const double n = double(stats.samples.size());
    stats.mean = n > 0 ? sum / n : 0;
    stats.spread = n > 0 ? std::sqrt(std::max(0.0, sum2 / n - stats.mean * stats.mean)) : 0;
    return stats;
}

// *fps: the stream's nominal frame rate (0 when its caps do not say).
QVideoFrame toFrame(GstSample *sample, double *fps, CameraStream::PictureStats *stats)
{
    GstVideoInfo info;
    if (!gst_video_info_from_caps(&info, gst_sample_get_caps(sample)) ||
        GST_VIDEO_INFO_FORMAT(&info) != GST_VIDEO_FORMAT_I420)
        return {};
    *fps = GST_VIDEO_INFO_FPS_D(&info) > 0 ? double(GST_VIDEO_INFO_FPS_N(&info)) / GST_VIDEO_INFO_FPS_D(&info) : 0.0;
    GstVideoFrame in;
    if (!gst_video_frame_map(&in, &info, gst_sample_get_buffer(sample), GST_MAP_READ))
        return {};
    const int width = GST_VIDEO_FRAME_WIDTH(&in), height = GST_VIDEO_FRAME_HEIGHT(&in);
    *stats = pictureStats(static_cast<const uchar *>(GST_VIDEO_FRAME_PLANE_DATA(&in, 0)),
                          GST_VIDEO_FRAME_PLANE_STRIDE(&in, 0), width, height);
    QVideoFrame frame(QVideoFrameFormat(QSize(width, height), QVideoFrameFormat::Format_YUV420P));
#if QT_VERSION >= QT_VERSION_CHECK(6, 7, 0)
    const bool mapped = frame.map(QtVideo::MapMode::WriteOnly);
#else
    const bool mapped = frame.map(QVideoFrame::WriteOnly);
#endif
    if (mapped) {
        for (int plane = 0; plane < 3; ++plane) {
            const int rows = plane == 0 ? height : (height + 1) / 2;
            const int bytes = plane == 0 ? width : (width + 1) / 2;
            const auto *from = static_cast<const uchar *>(GST_VIDEO_FRAME_PLANE_DATA(&in, plane));
            const int fromStride = GST_VIDEO_FRAME_PLANE_STRIDE(&in, plane);
            uchar *to = frame.bits(plane);
            const int toStride = frame.bytesPerLine(plane);
            for (int row = 0; row < rows; ++row)
                std::memcpy(to + row * toStride, from + row * fromStride, std::size_t(bytes));
        }
        frame.unmap();
    }
    gst_video_frame_unmap(&in);
    return mapped ? frame : QVideoFrame();
}

} // namespace

// Hands every running stream's next waiting frame to its sink on one beat, so a wall of many tiles
// redraws once per beat rather than once per frame of each camera: the window's scene graph
// renders as a whole, and under software OpenGL that render is the wall's main cost
// (DEVELOPERS.md, "Video"). The beat follows the fastest running stream, a quarter faster so
// that its frames are not dropped to jitter: 15 Hz for sub streams of 12 fps, 30 Hz when a
// 25 fps main stream runs. Runs only while a stream runs. GUI thread.
class FramePacer
{
public:
    static FramePacer &instance()
    {
        static FramePacer pacer;
        return pacer;
    }
    void add(CameraStream *stream)
    {
        m_streams.push_back(stream);
        if (!m_timer.isActive())
            m_timer.start();
    }
    void remove(CameraStream *stream)
    {
        std::erase(m_streams, stream);
        if (m_streams.empty())
            m_timer.stop();
    }
    // The beat for streams whose fastest runs at `fps` (0: not known yet).
    static int beatMs(double fps)
    {
        if (fps <= 0)
            fps = 25;
        return std::clamp(int(1000.0 / (1.25 * fps)), 33, 80);
    }

private:
    FramePacer()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(beatMs(0));
        QObject::connect(&m_timer, &QTimer::timeout, [this] { beat(); });
    }
    void beat()
    {
        // A delivery may stop a stream (a slot on frameShown): iterate over a copy.
        const std::vector<CameraStream *> streams = m_streams;
        double fastest = 0;
        for (CameraStream *stream : streams) {
            if (std::find(m_streams.begin(), m_streams.end(), stream) == m_streams.end())
                continue;
            stream->deliver();
            fastest = std::max(fastest, stream->m_fps);
        }
        if (const int ms = beatMs(fastest); ms != m_timer.interval())
            m_timer.setInterval(ms);
    }
    QTimer m_timer;
    std::vector<CameraStream *> m_streams;
};

// On a streaming thread: keep the frame for the next beat of the pacer.
GstFlowReturn CameraStream::Shared::onSample(GstAppSink *sink, gpointer user)
{
    GstSample *sample = gst_app_sink_pull_sample(sink);
    if (!sample)
        return GST_FLOW_OK;
    double fps = 0;
    PictureStats stats;
    QVideoFrame frame = toFrame(sample, &fps, &stats);
    gst_sample_unref(sample);
    auto &shared = *static_cast<Ptr *>(user);
    std::lock_guard lock(shared->mutex);
    if (!shared->owner || !frame.isValid())
        return GST_FLOW_OK;
    shared->waiting.emplace_back(std::move(frame), stats);
    if (shared->waiting.size() > 2) {
        shared->waiting.pop_front();
        ++shared->dropped;
    }
    shared->fps = fps;
    return GST_FLOW_OK;
}

// On whichever thread posts it: errors and the end of the stream go to the stream; the rest is
// dropped (there is no bus watch).
GstBusSyncReply CameraStream::Shared::onBusMessage(GstBus *, GstMessage *message, gpointer user)
{
    QString why;
    if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
        GError *error = nullptr;
        gst_message_parse_error(message, &error, nullptr);
        why = QString::fromUtf8(error ? error->message : "error");
        g_clear_error(&error);
    } else if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_EOS) {
        why = CameraStream::tr("the stream ended");
    }
    if (!why.isEmpty()) {
        auto &shared = *static_cast<Ptr *>(user);
        std::lock_guard lock(shared->mutex);
        if (CameraStream *owner = shared->owner)
            QMetaObject::invokeMethod(
                owner, [owner, why] { owner->failed(why); }, Qt::QueuedConnection);
    }
    gst_message_unref(message);
    return GST_BUS_DROP;
}

CameraStream::CameraStream(QObject *parent)
    : QObject(parent)
{
    static std::once_flag once;
    std::call_once(once, [] { gst_init(nullptr, nullptr); });
    m_watchdog.setInterval(250);
    connect(&m_watchdog, &QTimer::timeout, this, &CameraStream::watch);
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        if (!m_running)
            return;
        ++m_reconnects;
        openPipeline();
    });
}

CameraStream::~CameraStream()
{
    stop();
}

void CameraStream::setUrl(const QString &url)
{
    if (url == m_url)
        return;
    m_url = url;
    // Another camera: its picture must not show the last one's meanwhile.
    m_lastFrame = QVideoFrame();
    if (m_sink)
        m_sink->setVideoFrame(QVideoFrame());
    Q_EMIT urlChanged();
    if (m_running) {
        stop();
        if (!m_url.isEmpty())
            start();
    } else if (m_active && !m_url.isEmpty()) {
        start();
    }
}

void CameraStream::setVideoSink(QVideoSink *sink)
{
    if (sink == m_sink)
        return;
    m_sink = sink;
    if (m_sink && m_lastFrame.isValid())
        m_sink->setVideoFrame(m_lastFrame);
    Q_EMIT videoSinkChanged();
}

void CameraStream::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    Q_EMIT activeChanged();
    if (m_active && !m_url.isEmpty())
        start();
    else if (!m_active)
        stop();
}

void CameraStream::start()
{
    if (m_running)
        return;
    m_running = true;
    FramePacer::instance().add(this);
    m_backoffMs = 0;
    setState(State::Connecting);
    openPipeline();
    m_watchdog.start();
}

void CameraStream::stop()
{
    if (!m_running)
        return;
    m_running = false;
    FramePacer::instance().remove(this);
    m_watchdog.stop();
    m_retry.stop();
    closePipeline();
    setPicture(Picture::Unknown);
    setState(State::Idle);
}

void CameraStream::openPipeline()
{
    closePipeline();
    m_openedMs = monotonicMs();
    GError *error = nullptr;
    GstElement *pipeline = gst_parse_launch(
        "rtspsrc name=src latency=0 protocols=tcp ! rtph264depay ! h264parse ! avdec_h264 ! videoconvert ! "
        "video/x-raw,format=I420 ! appsink name=sink sync=false max-buffers=2 drop=true",
        &error);
    if (!pipeline) {
        const QString why = QString::fromUtf8(error ? error->message : "cannot build the pipeline");
        g_clear_error(&error);
        qCWarning(lcUiVideo, "camera stream: %s", qUtf8Printable(why));
        retryLater(State::Error, why);
        return;
    }
    GstElement *source = gst_bin_get_by_name(GST_BIN(pipeline), "src");
    g_object_set(source, "location", m_url.toUtf8().constData(), nullptr);
    gst_object_unref(source);

    m_shared = std::make_shared<Shared>();
    m_shared->owner = this;
    GstElement *sink = gst_bin_get_by_name(GST_BIN(pipeline), "sink");
    GstAppSinkCallbacks callbacks{};
    callbacks.new_sample = Shared::onSample;
    gst_app_sink_set_callbacks(GST_APP_SINK(sink), &callbacks, new Shared::Ptr(m_shared),
                               [](gpointer p) { delete static_cast<Shared::Ptr *>(p); });
    gst_object_unref(sink);
    GstBus *bus = gst_element_get_bus(pipeline);
    gst_bus_set_sync_handler(bus, Shared::onBusMessage, new Shared::Ptr(m_shared),
                             [](gpointer p) { delete static_cast<Shared::Ptr *>(p); });
    gst_object_unref(bus);

    m_pipeline = pipeline;
    gst_object_ref(pipeline);
    pipelineThread().start([pipeline] {
        gst_element_set_state(pipeline, GST_STATE_PLAYING);
        gst_object_unref(pipeline);
    });
}

void CameraStream::closePipeline()
{
    if (m_shared) {
        std::lock_guard lock(m_shared->mutex);
        m_shared->owner = nullptr;
        m_shared->waiting.clear();
        m_droppedBefore += m_shared->dropped;
    }
    m_shared.reset();
    if (auto *pipeline = static_cast<GstElement *>(std::exchange(m_pipeline, nullptr))) {
        pipelineThread().start([pipeline] {
            gst_element_set_state(pipeline, GST_STATE_NULL);
            gst_object_unref(pipeline);
        });
    }
}

quint64 CameraStream::framesDropped() const
{
    if (!m_shared)
        return m_droppedBefore;
    std::lock_guard lock(m_shared->mutex);
    return m_droppedBefore + m_shared->dropped;
}

void CameraStream::deliver()
{
    QVideoFrame frame;
    PictureStats stats;
    if (m_shared) {
        std::lock_guard lock(m_shared->mutex);
        if (!m_shared->waiting.empty()) {
            std::tie(frame, stats) = std::move(m_shared->waiting.front());
            m_shared->waiting.pop_front();
        }
        m_fps = m_shared->fps;
    }
    if (!frame.isValid() || !m_running)
        return;
    judgePicture(std::move(stats));
    m_lastFrame = frame;
    ++m_framesShown;
    m_lastFrameMs = monotonicMs();
    m_backoffMs = 0;
    if (m_sink)
        m_sink->setVideoFrame(frame);
    if (m_state != State::Live)
        setState(State::Live);
    Q_EMIT frameShown();
}

void CameraStream::judgePicture(PictureStats stats)
{
    const qint64 now = monotonicMs();
    // Since when the picture has been the same, and dark and flat. "The same" allows for the
    // codec: a stuck camera's encoder still re-codes its last picture, and every key frame
    // comes out a little different; a change is a few samples moving by more than 16 levels
    // (a ball of 40 pixels across moves a dozen at 360p).
    int moved = 0;
    if (stats.samples.size() == m_lastSamples.size()) {
        for (std::size_t i = 0; i < stats.samples.size() && moved < 3; ++i)
            moved += std::abs(int(stats.samples[i]) - int(m_lastSamples[i])) > 16;
    } else {
        moved = 3;
    }
    if (m_framesShown == 0 || moved >= 3)
        m_sameSinceMs = now;
    m_lastSamples = std::move(stats.samples);
    const bool dark = stats.mean < 32 && stats.spread < 6; // video-range black is 16
    if (!dark)
        m_darkSinceMs = -1;
    else if (m_darkSinceMs < 0)
        m_darkSinceMs = now;
    Picture picture = Picture::Moving;
    if (m_darkSinceMs >= 0 && now - m_darkSinceMs >= m_pictureMs)
        picture = Picture::Black;
    else if (now - m_sameSinceMs >= m_pictureMs)
        picture = Picture::Frozen;
    setPicture(picture);
}

void CameraStream::setPicture(Picture picture)
{
    if (picture == m_picture)
        return;
    m_picture = picture;
    Q_EMIT pictureChanged();
}

void CameraStream::failed(const QString &why)
{
    if (!m_running)
        return;
    // A camera URL may carry its password: never in the log.
    qCInfo(lcUiVideo, "camera stream %s: %s; reconnecting",
           qUtf8Printable(QUrl(m_url).adjusted(QUrl::RemoveUserInfo).toString()), qUtf8Printable(why));
    retryLater(State::Error, why);
}

void CameraStream::watch()
{
    if (!m_running || m_retry.isActive())
        return;
    const qint64 now = monotonicMs();
    if (m_state == State::Live && now - m_lastFrameMs > m_stallMs) {
        retryLater(State::Stalled, tr("no picture for %1 s").arg((now - m_lastFrameMs) / 1000.0, 0, 'f', 1));
    } else if (m_state != State::Live && now - m_openedMs > m_stallMs + 2000) {
        // Connected or not, no picture came: a camera that does not answer, or answers nothing.
        retryLater(State::Stalled,
                   tr("no picture since the request (%1 s)").arg((now - m_openedMs) / 1000.0, 0, 'f', 1));
    }
}

void CameraStream::retryLater(State state, const QString &why)
{
    closePipeline();
    setPicture(Picture::Unknown); // no picture to judge
    setState(state, why);
    m_backoffMs = m_backoffMs == 0 ? 500 : std::min(m_backoffMs * 2, 8000);
    m_retry.start(m_backoffMs);
}

void CameraStream::setState(State state, const QString &reason)
{
    if (m_state == state && m_reason == reason)
        return;
    m_state = state;
    m_reason = reason;
    Q_EMIT stateChanged();
}

} // namespace gwanje
