// gwanje-videobench: the CCTV wall's figures against a real gwanje-camsim on loopback, in a real
// window (gwanje-bench runs it under Xvfb, OpenGL on Mesa). Each against a baseline run in this
// process, or beside it, on the same streams:
//   video.ttff_ms            CameraStream::start() to the first frame swapped to the screen, vs a
//                            bare GStreamer pipeline (the same elements) to its first sample
//   video.latency_p99_ms     camsim's send time (stamped in the picture) to the swap that shows
//                            it, vs the same stamp read at a bare pipeline's appsink
//   video.wall16_cpu_ratio   CPU of 16 sub-stream tiles shown (cores), vs gst-launch-1.0 decoding
//                            the same 16 streams to fakesink for the same time: the ratio
//   video.wall16_dropped_frames  decoded frames never shown (replaced while waiting)
//   video.wall16_rss_mb      resident memory with the 16 tiles live
#include "BenchJson.h"
#include "CameraStream.h"
#include "Camsim.h"
#include "video/FrameStamp.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <QFile>
#include <QGuiApplication>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QVideoSink>

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include <sys/resource.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <mutex>

using namespace gwanje;

namespace {

constexpr const char *kDecode = "rtph264depay ! h264parse ! avdec_h264 ! videoconvert ! video/x-raw,format=I420";

// Runs the event loop for `ms` (idle meanwhile: the CPU figures count this process).
void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
}

// Runs the event loop until `done()` (checked every millisecond) or `ms` have passed.
template<typename F> bool spinUntil(F done, int ms)
{
    QEventLoop loop;
    QElapsedTimer t;
    t.start();
    QTimer check;
    check.setTimerType(Qt::PreciseTimer);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done() || t.elapsed() > ms)
            loop.quit();
    });
    check.start(1);
    if (!done())
        loop.exec();
    return done();
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(std::ceil(p * double(v.size())) - 1))];
}

double cpuSecondsSelf()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double cpuSecondsOf(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.readAll();
    // Fields after the command's closing parenthesis: state is field 3; utime 14, stime 15.
    const QList<QByteArray> f = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (f.size() < 13)
        return -1;
    return (f[11].toDouble() + f[12].toDouble()) / double(sysconf(_SC_CLK_TCK));
}

double rssMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return -1;
}

// The stamp in an I420 frame's luma plane.
bool stampOf(const QVideoFrame &frame, std::uint32_t *value)
{
    QVideoFrame f = frame;
#if QT_VERSION >= QT_VERSION_CHECK(6, 7, 0)
    if (!f.map(QtVideo::MapMode::ReadOnly))
#else
    if (!f.map(QVideoFrame::ReadOnly))
#endif
        return false;
    const bool ok = frame_stamp::read(f.bits(0), f.bytesPerLine(0), f.width(), f.height(), value);
    f.unmap();
    return ok;
}

// The same decoding as CameraStream with no Qt at all: the baseline.
class BarePipeline
{
public:
    explicit BarePipeline(const QString &url)
    {
        const QByteArray line = "rtspsrc location=" + url.toUtf8() + " latency=0 protocols=tcp ! " + kDecode +
                                " ! appsink name=sink sync=false max-buffers=2 drop=true";
        m_pipeline = gst_parse_launch(line.constData(), nullptr);
        if (m_pipeline)
            m_sink = gst_bin_get_by_name(GST_BIN(m_pipeline), "sink");
    }
    ~BarePipeline()
    {
        if (m_sink)
            gst_object_unref(m_sink);
        if (m_pipeline) {
            gst_element_set_state(m_pipeline, GST_STATE_NULL);
            gst_object_unref(m_pipeline);
        }
    }
    BarePipeline(const BarePipeline &) = delete;
    BarePipeline &operator=(const BarePipeline &) = delete;

    bool play() { return m_pipeline && gst_element_set_state(m_pipeline, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE; }
    // The next decoded sample's stamp (0 when it has none); false after timeoutMs without one.
    bool next(int timeoutMs, std::uint32_t *stamp)
    {
        GstSample *sample =
            gst_app_sink_try_pull_sample(GST_APP_SINK(m_sink), GstClockTime(timeoutMs) * GST_MSECOND);
        if (!sample)
            return false;
        *stamp = 0;
        GstVideoInfo info;
        GstVideoFrame frame;
        if (gst_video_info_from_caps(&info, gst_sample_get_caps(sample)) &&
            gst_video_frame_map(&frame, &info, gst_sample_get_buffer(sample), GST_MAP_READ)) {
            frame_stamp::read(static_cast<const std::uint8_t *>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0)),
                              GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0), GST_VIDEO_FRAME_WIDTH(&frame),
                              GST_VIDEO_FRAME_HEIGHT(&frame), stamp);
            gst_video_frame_unmap(&frame);
        }
        gst_sample_unref(sample);
        return true;
    }

private:
    GstElement *m_pipeline = nullptr;
    GstElement *m_sink = nullptr;
};

// A window of `count` video outputs in a grid, as the wall draws them.
class Wall
{
public:
    Wall(QQmlEngine &engine, int columns, int count, QSize tile)
    {
        QQmlComponent component(&engine);
        component.setData(QStringLiteral("import QtQuick\nimport QtMultimedia\n"
                                          "Window { visible: true; color: 'black'\n"
                                          "  width: %1; height: %2\n"
                                          "  Grid { columns: %3\n"
                                          "    Repeater { model: %4\n"
                                          "      VideoOutput { width: %5; height: %6 } } } }")
                              .arg(columns * tile.width())
                              .arg(((count + columns - 1) / columns) * tile.height())
                              .arg(columns)
                              .arg(count)
                              .arg(tile.width())
                              .arg(tile.height())
                              .toUtf8(),
                          QUrl());
        m_window.reset(qobject_cast<QQuickWindow *>(component.create()));
        if (!m_window) {
            std::fprintf(stderr, "gwanje-videobench: %s\n", qUtf8Printable(component.errorString()));
            return;
        }
        std::function<void(QQuickItem *)> collect = [&](QQuickItem *item) {
            if (auto *sink = item->property("videoSink").value<QVideoSink *>())
                m_sinks.push_back(sink);
            for (QQuickItem *child : item->childItems())
                collect(child);
        };
        collect(m_window->contentItem());
        QObject::connect(m_window.get(), &QQuickWindow::frameSwapped, m_window.get(), [this] { onSwapped(); },
                         Qt::DirectConnection);
        spin(500);
    }
    bool ok() const { return m_window && !m_sinks.empty(); }
    QVideoSink *sink(std::size_t i) const { return m_sinks.at(i); }
    // Frames swapped so far (any thread).
    quint64 swaps() const { return m_swaps.load(); }
    // The stamp shown by the next swap; the latency is recorded then.
    void showing(std::uint32_t stamp) { m_pendingStamp.store(std::uint64_t(stamp) | (1ULL << 32)); }
    std::vector<double> takeLatencies()
    {
        std::lock_guard lock(m_mutex);
        return std::exchange(m_latencies, {});
    }

private:
    void onSwapped() // render thread
    {
        ++m_swaps;
        const std::uint64_t pending = m_pendingStamp.exchange(0);
        if (pending) {
            std::lock_guard lock(m_mutex);
            m_latencies.push_back(double(frame_stamp::ageMs(std::uint32_t(pending))));
        }
    }

    std::unique_ptr<QQuickWindow> m_window;
    std::vector<QVideoSink *> m_sinks;
    std::atomic<quint64> m_swaps{0};
    std::atomic<std::uint64_t> m_pendingStamp{0};
    std::mutex m_mutex;
    std::vector<double> m_latencies;
};

void ttff(Wall &wall, test::Camsim &sim, int runs)
{
    // A real camera encodes whether watched or not: keep the mount running meanwhile.
    BarePipeline keeper(sim.url(1, "main"));
    keeper.play();
    std::uint32_t stamp = 0;
    keeper.next(10000, &stamp);
    std::vector<double> ours, bare;
    for (int i = 0; i < runs; ++i) {
        {
            CameraStream stream;
            stream.setUrl(sim.url(1, "main"));
            stream.setVideoSink(wall.sink(0));
            QElapsedTimer t;
            t.start();
            stream.start();
            if (!spinUntil([&] { return stream.framesShown() > 0; }, 10000)) {
                std::fprintf(stderr, "gwanje-videobench: no first frame (%s)\n", qUtf8Printable(stream.reason()));
                return;
            }
            const quint64 swapsThen = wall.swaps();
            spinUntil([&] { return wall.swaps() > swapsThen; }, 2000);
            ours.push_back(double(t.nsecsElapsed()) / 1e6);
            stream.stop();
        }
        {
            QElapsedTimer t;
            t.start();
            BarePipeline pipeline(sim.url(1, "main"));
            pipeline.play();
            if (!pipeline.next(10000, &stamp))
                return;
            bare.push_back(double(t.nsecsElapsed()) / 1e6);
        }
        spin(300);
    }
    bench::emit("video.ttff_ms", bench::median(ours), "ms", bench::median(bare));
}

void latency(Wall &wall, test::Camsim &sim, int seconds)
{
    std::vector<double> ours, bare;
    {
        CameraStream stream;
        stream.setUrl(sim.url(2, "main"));
        stream.setVideoSink(wall.sink(0));
        QObject::connect(&stream, &CameraStream::frameShown, &stream, [&] {
            std::uint32_t s = 0;
            if (stampOf(stream.lastFrame(), &s))
                wall.showing(s);
        });
        stream.start();
        spinUntil([&] { return stream.framesShown() > 0; }, 10000);
        spin(1000);
        wall.takeLatencies();
        spin(seconds * 1000);
        ours = wall.takeLatencies();
        stream.stop();
    }
    {
        BarePipeline pipeline(sim.url(2, "main"));
        pipeline.play();
        std::uint32_t stamp = 0;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < (seconds + 1) * 1000 && pipeline.next(5000, &stamp)) {
            if (stamp && t.elapsed() > 1000)
                bare.push_back(double(frame_stamp::ageMs(stamp)));
        }
    }
    if (ours.empty() || bare.empty()) {
        std::fprintf(stderr, "gwanje-videobench: no stamped frames (%zu ours, %zu bare)\n", ours.size(), bare.size());
        return;
    }
    std::fprintf(stderr, "gwanje-videobench: latency p50 %.1f ms (bare %.1f), p99 %.1f (bare %.1f), %zu frames\n",
                 percentile(ours, 0.5), percentile(bare, 0.5), percentile(ours, 0.99), percentile(bare, 0.99),
                 ours.size());
    bench::emit("video.latency_p99_ms", percentile(ours, 0.99), "ms", percentile(bare, 0.99));
}

void wall16(QQmlEngine &engine, test::Camsim &sim, int seconds)
{
    std::optional<double> oursCpu, dropped, rss;
    {
        Wall wall(engine, 4, 16, QSize(320, 180));
        if (!wall.ok())
            return;
        std::vector<std::unique_ptr<CameraStream>> streams;
        for (int i = 0; i < 16; ++i) {
            auto s = std::make_unique<CameraStream>();
            s->setUrl(sim.url(i + 1, "sub"));
            s->setVideoSink(wall.sink(std::size_t(i)));
            s->start();
            streams.push_back(std::move(s));
        }
        if (!spinUntil(
                [&] {
                    return std::all_of(streams.begin(), streams.end(), [](auto &s) { return s->framesShown() > 0; });
                },
                15000)) {
            std::fprintf(stderr, "gwanje-videobench: not every tile came live\n");
            return;
        }
        spin(2000);
        quint64 droppedBefore = 0, shownBefore = 0;
        for (auto &s : streams) {
            droppedBefore += s->framesDropped();
            shownBefore += s->framesShown();
        }
        const double cpu0 = cpuSecondsSelf();
        QElapsedTimer t;
        t.start();
        spin(seconds * 1000);
        oursCpu = (cpuSecondsSelf() - cpu0) / (double(t.nsecsElapsed()) / 1e9);
        quint64 droppedAfter = 0, shownAfter = 0;
        for (auto &s : streams) {
            droppedAfter += s->framesDropped();
            shownAfter += s->framesShown();
        }
        dropped = double(droppedAfter - droppedBefore);
        rss = rssMb();
        std::fprintf(stderr, "gwanje-videobench: 16 tiles, %.0f frames/s shown, %.0f dropped, %.0f %% of a core\n",
                     double(shownAfter - shownBefore) / seconds, *dropped, *oursCpu * 100);
        streams.clear();
    }
    spin(500);
    // gst-launch-1.0 decoding the same 16 streams to fakesink.
    const QString launch = QStandardPaths::findExecutable(QStringLiteral("gst-launch-1.0"));
    std::optional<double> bareCpu;
    if (launch.isEmpty()) {
        std::fprintf(stderr, "gwanje-videobench: no gst-launch-1.0; no CPU baseline\n");
    } else {
        QStringList arguments{QStringLiteral("-q")};
        for (int i = 0; i < 16; ++i)
            arguments << (QStringLiteral("rtspsrc location=%1 latency=0 protocols=tcp ! %2 ! fakesink sync=false")
                              .arg(sim.url(i + 1, "sub"), QString::fromLatin1(kDecode))
                              .split(QLatin1Char(' ')));
        QProcess gst;
        gst.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        gst.start(launch, arguments);
        if (gst.waitForStarted(5000)) {
            spin(4000); // connected and decoding, as ours was
            const double cpu0 = cpuSecondsOf(gst.processId());
            QElapsedTimer t;
            t.start();
            spin(seconds * 1000);
            const double cpu1 = cpuSecondsOf(gst.processId());
            if (cpu0 >= 0 && cpu1 >= 0)
                bareCpu = (cpu1 - cpu0) / (double(t.nsecsElapsed()) / 1e9);
            gst.kill(); // its PID
            gst.waitForFinished(5000);
        }
    }
    if (oursCpu && bareCpu && *bareCpu > 0) {
        std::fprintf(stderr, "gwanje-videobench: gst-launch-1.0 %.0f %% of a core\n", *bareCpu * 100);
        // value and baseline in cores; the target is on the ratio.
        bench::emit("video.wall16_cpu_ratio", *oursCpu, "cores", *bareCpu);
    }
    if (dropped)
        bench::emit("video.wall16_dropped_frames", *dropped, "frames", std::nullopt);
    if (rss)
        bench::emit("video.wall16_rss_mb", *rss, "MB", std::nullopt);
}

} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption quick(QStringLiteral("quick"), QStringLiteral("Fewer repetitions."));
    const QCommandLineOption filter(QStringLiteral("filter"), QStringLiteral("Only names containing TEXT."),
                                    QStringLiteral("TEXT"));
    parser.addOptions({quick, filter});
    parser.process(app);
    bench::Settings settings;
    settings.quick = parser.isSet(quick);
    settings.filter = parser.value(filter);
    gst_init(nullptr, nullptr);

    test::Camsim sim;
    if (!sim.start(16)) {
        std::fprintf(stderr, "gwanje-videobench: gwanje-camsim did not start\n");
        return 1;
    }
    QQmlEngine engine;
    {
        Wall one(engine, 1, 1, QSize(640, 360));
        if (!one.ok())
            return 1;
        if (settings.selected("video.ttff_ms"))
            ttff(one, sim, settings.quick ? 3 : 15);
        if (settings.selected("video.latency_p99_ms"))
            latency(one, sim, settings.quick ? 3 : 20);
    }
    if (settings.selected("video.wall16"))
        wall16(engine, sim, settings.quick ? 4 : 60);
    return 0;
}
