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

#include <cstring>
#include <mutex>

namespace gwanje {

// What a pipeline's streaming threads share with the stream: cut loose (owner null) when the
// stream lets the pipeline go, so a late frame or error of a stopping pipeline goes nowhere.
struct CameraStream::Shared
{
    using Ptr = std::shared_ptr<Shared>;
    std::mutex mutex;
    CameraStream *owner = nullptr;
    QVideoFrame latest;   // the newest frame not yet handed over
    bool pending = false; // a deliver() is queued

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

QVideoFrame toFrame(GstSample *sample)
{
    GstVideoInfo info;
    if (!gst_video_info_from_caps(&info, gst_sample_get_caps(sample)) ||
        GST_VIDEO_INFO_FORMAT(&info) != GST_VIDEO_FORMAT_I420)
        return {};
    GstVideoFrame in;
    if (!gst_video_frame_map(&in, &info, gst_sample_get_buffer(sample), GST_MAP_READ))
        return {};
    const int width = GST_VIDEO_FRAME_WIDTH(&in), height = GST_VIDEO_FRAME_HEIGHT(&in);
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

// On a streaming thread: keep the newest frame, and queue one deliver() if none is queued.
GstFlowReturn CameraStream::Shared::onSample(GstAppSink *sink, gpointer user)
{
    GstSample *sample = gst_app_sink_pull_sample(sink);
    if (!sample)
        return GST_FLOW_OK;
    QVideoFrame frame = toFrame(sample);
    gst_sample_unref(sample);
    auto &shared = *static_cast<Ptr *>(user);
    std::lock_guard lock(shared->mutex);
    if (!shared->owner || !frame.isValid())
        return GST_FLOW_OK;
    shared->latest = std::move(frame);
    if (!shared->pending) {
        shared->pending = true;
        CameraStream *target = shared->owner; // alive while we hold the lock
        QMetaObject::invokeMethod(target, &CameraStream::deliver, Qt::QueuedConnection);
    }
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
    m_watchdog.stop();
    m_retry.stop();
    closePipeline();
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
        m_shared->latest = QVideoFrame();
    }
    m_shared.reset();
    if (auto *pipeline = static_cast<GstElement *>(std::exchange(m_pipeline, nullptr))) {
        pipelineThread().start([pipeline] {
            gst_element_set_state(pipeline, GST_STATE_NULL);
            gst_object_unref(pipeline);
        });
    }
}

void CameraStream::deliver()
{
    QVideoFrame frame;
    if (m_shared) {
        std::lock_guard lock(m_shared->mutex);
        frame = std::move(m_shared->latest);
        m_shared->latest = QVideoFrame();
        m_shared->pending = false;
    }
    if (!frame.isValid() || !m_running)
        return;
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
