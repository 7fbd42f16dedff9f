// gwanje-camsim: CCTV cameras for the tests, the benchmarks and the demo, on gst-rtsp-server.
//
// Serves N cameras, each as rtsp://127.0.0.1:PORT/cam/<id>/main (1280x720, 25 fps, H.264) and
// /cam/<id>/sub (640x360, 12 fps). Each picture shows the camera's label, a clock and moving
// content, and carries its send time (core/video/FrameStamp.h), written just before the encoder,
// so a client measures latency on the decoded frame. Every mount is a shared factory: one encoder
// per mount for all its clients, built at the first DESCRIBE and torn down when the last client
// leaves (this machine has 2 cores). A viewer who joins a running mount gets a key frame at once
// (--no-key-on-join turns that off, as most real cameras do). The source's claimed capture
// latency is answered as 0 (--src-latency keeps it): else the server holds every packet back one
// frame interval.
//
// Options: --cams N, --port P (0: a free one, printed as "PORT n"), --gop-main F, --gop-sub F,
// --kbps-main K, --kbps-sub K, --pattern NAME (a videotestsrc pattern, properties may follow),
// --font NAME, --no-stamp, --src-latency, --no-key-on-join, --labels FILE (the cameras' names,
// one line each, UTF-8: line n names camera n).
//
// Faults on command, one per line on stdin (the tests and the demo use them):
//   freeze <id|all> [main|sub]   the same picture again and again (its stamp too)
//   black  <id|all> [main|sub]   a black picture
//   mute   <id|all> [main|sub]   RTSP and the socket stay up, no RTP is sent: a camera that stops answering
//   live   <id|all> [main|sub]   normal pictures again
//   close  <id|all>              unmount (404 for new clients) and drop its clients
//   open   <id|all>              mount again
//   label  <id> <text>           the camera's name in its pictures (UTF-8, to the end of the line)
//   stats                        pictures encoded, fault and pipelines per stream
//   quit
// Every answer is one line on stdout.
#include "video/FrameStamp.h"

#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>
#include <gst/video/video.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

using namespace gwanje;

namespace {

enum Fault { Live = 0, Freeze, Black, Mute };
const char *faultName(int f)
{
    static const char *n[] = {"live", "freeze", "black", "mute"};
    return n[f];
}

struct Stream
{
    int cam = 0;
    bool sub = false;
    std::string path;
    GstRTSPMediaFactory *factory = nullptr; // one ref of ours (kept across close/open)
    std::atomic<int> fault{Live};
    std::atomic<std::uint64_t> frames{0}; // pictures that reached the encoder
    std::atomic<int> medias{0};           // prepared pipelines (0 or 1 for a shared mount)
    std::mutex lock;
    GstBuffer *held = nullptr;  // the frozen picture
    GstBuffer *black = nullptr; // a black picture of the stream's size
    GstElement *enc = nullptr;  // the encoder of the current pipeline, if any
    GstElement *text = nullptr; // its label overlay
};

struct Camera
{
    int id = 0;
    bool mounted = true;
    std::string label; // the camera's name in the picture (--labels, or the label command); under the streams' locks
    Stream main, sub;
};

struct Config
{
    int cams = 4;
    int gopMain = 50; // frames between IDRs: 2 s at 25 fps
    int gopSub = 24;  // 2 s at 12 fps
    int kbpsMain = 2048, kbpsSub = 512;
    std::string pattern = "ball";
    std::string font = "NanumGothic";
    bool stampOn = true;
    bool srcLatency = false; // keep videotestsrc's claimed 1-frame capture latency
    bool keyOnJoin = true;   // ask the encoder for an IDR when a client starts playing
};

Config g_cfg;
GstRTSPServer *g_server = nullptr;
GMainLoop *g_loop = nullptr;
std::vector<std::unique_ptr<Camera>> g_cams;

Camera *cameraOf(const Stream &s)
{
    for (auto &c : g_cams)
        if (c->id == s.cam)
            return c.get();
    return nullptr;
}

// What the picture's top line says: the camera's name, its number and which stream.
std::string labelText(const Camera &c, bool sub)
{
    char number[64];
    snprintf(number, sizeof number, "카메라 %02d · %s", c.id, sub ? "서브" : "메인");
    return c.label.empty() ? std::string(number) : c.label + "\n" + number;
}

// Per pipeline: the stream and the picture layout learnt from the caps.
struct ProbeCtx
{
    Stream *s;
    GstVideoInfo vi;
    bool haveInfo = false;
};

// Replace the probe's buffer by a (shallow) copy of `picture` with its times.
void substitute(GstPadProbeInfo *info, GstBuffer *in, GstBuffer *picture)
{
    GstBuffer *out = gst_buffer_copy(picture); // shares the memory, read-only downstream
    GST_BUFFER_PTS(out) = GST_BUFFER_PTS(in);
    GST_BUFFER_DTS(out) = GST_BUFFER_DTS(in);
    GST_BUFFER_DURATION(out) = GST_BUFFER_DURATION(in);
    gst_buffer_unref(in);
    GST_PAD_PROBE_INFO_DATA(info) = out;
}

GstBuffer *makeBlack(const GstVideoInfo &vi)
{
    GstBuffer *b = gst_buffer_new_allocate(nullptr, GST_VIDEO_INFO_SIZE(&vi), nullptr);
    GstVideoFrame f;
    GstVideoInfo copy = vi;
    if (gst_video_frame_map(&f, &copy, b, GST_MAP_WRITE)) {
        for (guint p = 0; p < GST_VIDEO_FRAME_N_PLANES(&f); ++p) {
            const int h = GST_VIDEO_FRAME_COMP_HEIGHT(&f, p);
            const int stride = GST_VIDEO_FRAME_PLANE_STRIDE(&f, p);
            memset(GST_VIDEO_FRAME_PLANE_DATA(&f, p), p == 0 ? 16 : 128, size_t(stride) * h);
        }
        gst_video_frame_unmap(&f);
    }
    return b;
}

// On the encoder's sink pad: apply the fault, then stamp the send time.
GstPadProbeReturn onPicture(GstPad *pad, GstPadProbeInfo *info, gpointer user)
{
    auto *ctx = static_cast<ProbeCtx *>(user);
    Stream *s = ctx->s;
    if (!ctx->haveInfo) {
        GstCaps *caps = gst_pad_get_current_caps(pad);
        if (!caps)
            return GST_PAD_PROBE_OK;
        ctx->haveInfo = gst_video_info_from_caps(&ctx->vi, caps);
        gst_caps_unref(caps);
        if (!ctx->haveInfo)
            return GST_PAD_PROBE_OK;
    }
    const int fault = s->fault.load();
    if (fault == Mute)
        return GST_PAD_PROBE_DROP; // nothing reaches the encoder: no RTP leaves
    s->frames++;
    GstBuffer *in = GST_PAD_PROBE_INFO_BUFFER(info);
    if (fault == Black) {
        std::lock_guard<std::mutex> g(s->lock);
        if (!s->black)
            s->black = makeBlack(ctx->vi);
        substitute(info, in, s->black);
        return GST_PAD_PROBE_OK;
    }
    if (fault == Freeze) {
        std::lock_guard<std::mutex> g(s->lock);
        if (s->held) {
            substitute(info, in, s->held);
            return GST_PAD_PROBE_OK;
        }
        // First picture after "freeze": stamp it below and keep a copy.
    }
    GstBuffer *buf = gst_buffer_make_writable(in);
    GST_PAD_PROBE_INFO_DATA(info) = buf;
    if (g_cfg.stampOn) {
        GstVideoFrame f;
        if (gst_video_frame_map(&f, &ctx->vi, buf, GST_MAP_WRITE)) {
            frame_stamp::write(
                std::uint32_t(frame_stamp::nowMs()), GST_VIDEO_FRAME_WIDTH(&f), GST_VIDEO_FRAME_HEIGHT(&f),
                static_cast<std::uint8_t *>(GST_VIDEO_FRAME_PLANE_DATA(&f, 0)), GST_VIDEO_FRAME_PLANE_STRIDE(&f, 0),
                static_cast<std::uint8_t *>(GST_VIDEO_FRAME_PLANE_DATA(&f, 1)), GST_VIDEO_FRAME_PLANE_STRIDE(&f, 1),
                static_cast<std::uint8_t *>(GST_VIDEO_FRAME_PLANE_DATA(&f, 2)), GST_VIDEO_FRAME_PLANE_STRIDE(&f, 2));
            gst_video_frame_unmap(&f);
        }
    }
    if (fault == Freeze) {
        std::lock_guard<std::mutex> g(s->lock);
        if (!s->held)
            s->held = gst_buffer_copy_deep(buf);
    }
    return GST_PAD_PROBE_OK;
}

// videotestsrc (live) claims one frame of capture latency, so the RTP sinks of the
// server hold each packet back one frame interval (40 ms at 25 fps, 83 ms at 12 fps).
// A real camera sends as soon as it has encoded; so answer the latency query as
// if the pictures were ready at their time stamp.
GstPadProbeReturn onLatencyQuery(GstPad *, GstPadProbeInfo *info, gpointer)
{
    GstQuery *q = GST_PAD_PROBE_INFO_QUERY(info);
    if (GST_QUERY_TYPE(q) == GST_QUERY_LATENCY) {
        gboolean live = FALSE;
        GstClockTime min = 0, max = 0;
        gst_query_parse_latency(q, &live, &min, &max);
        gst_query_set_latency(q, live, 0, max);
    }
    return GST_PAD_PROBE_OK;
}

void onUnprepared(GstRTSPMedia *, gpointer user)
{
    auto *s = static_cast<Stream *>(user);
    s->medias--;
    {
        std::lock_guard<std::mutex> g(s->lock);
        if (s->enc) {
            gst_object_unref(s->enc);
            s->enc = nullptr;
        }
        if (s->text) {
            gst_object_unref(s->text);
            s->text = nullptr;
        }
    }
    printf("media down %s (no client left)\n", s->path.c_str());
}

// A new pipeline was built for a mount (first client of a shared mount).
void onMediaConfigure(GstRTSPMediaFactory *, GstRTSPMedia *media, gpointer user)
{
    auto *s = static_cast<Stream *>(user);
    GstElement *bin = gst_rtsp_media_get_element(media);
    GstElement *enc = gst_bin_get_by_name(GST_BIN(bin), "enc");
    if (enc) {
        GstPad *pad = gst_element_get_static_pad(enc, "sink");
        auto *ctx = new ProbeCtx{s, {}, false};
        gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, onPicture, ctx,
                          [](gpointer p) { delete static_cast<ProbeCtx *>(p); });
        if (!g_cfg.srcLatency)
            gst_pad_add_probe(pad, GstPadProbeType(GST_PAD_PROBE_TYPE_QUERY_UPSTREAM | GST_PAD_PROBE_TYPE_PULL),
                              onLatencyQuery, nullptr, nullptr);
        gst_object_unref(pad);
        std::lock_guard<std::mutex> g(s->lock);
        if (s->enc)
            gst_object_unref(s->enc);
        s->enc = enc; // our ref, for key frames on demand
    }
    if (GstElement *text = gst_bin_get_by_name(GST_BIN(bin), "label")) {
        std::lock_guard<std::mutex> g(s->lock);
        if (const Camera *c = cameraOf(*s))
            g_object_set(text, "text", labelText(*c, s->sub).c_str(), nullptr);
        if (s->text)
            gst_object_unref(s->text);
        s->text = text; // our ref, for a new label while it plays
    }
    gst_object_unref(bin);
    g_signal_connect(media, "unprepared", G_CALLBACK(onUnprepared), s);
    s->medias++;
    printf("media up %s\n", s->path.c_str());
}

std::string launchLine(const Camera &c, bool sub)
{
    const int w = sub ? 640 : 1280, h = sub ? 360 : 720, fps = sub ? 12 : 25;
    const int fontPx = sub ? 14 : 28;
    const int pad = frame_stamp::blockSide(w) * 2; // keep the text off the stamp row
                                                   // A colour per camera, so that tiles are told apart at a glance.
    static const unsigned bg[] = {0xff203040, 0xff402020, 0xff204020, 0xff404020, 0xff302040, 0xff204040};
    char line[2048];
    snprintf(line, sizeof line,
             "( videotestsrc is-live=true pattern=%s background-color=0x%08x "
             "! video/x-raw,width=%d,height=%d,framerate=%d/1 "
             "! textoverlay name=label line-alignment=left font-desc=\"%s Bold %d\" "
             "valignment=top halignment=left ypad=%d xpad=%d "
             "! clockoverlay time-format=\"%%Y년 %%m월 %%d일 %%H:%%M:%%S\" "
             "font-desc=\"%s %d\" valignment=bottom halignment=right "
             "! videoconvert ! video/x-raw,format=I420 "
             "! x264enc name=enc tune=zerolatency speed-preset=ultrafast "
             "key-int-max=%d bitrate=%d "
             "! rtph264pay name=pay0 pt=96 config-interval=-1 )",
             g_cfg.pattern.c_str(), bg[(c.id - 1) % 6], w, h, fps, g_cfg.font.c_str(),
             fontPx, pad, pad, g_cfg.font.c_str(), fontPx * 3 / 4, sub ? g_cfg.gopSub : g_cfg.gopMain,
             sub ? g_cfg.kbpsSub : g_cfg.kbpsMain);
    return line;
}

void mount(Stream &s)
{
    GstRTSPMountPoints *mp = gst_rtsp_server_get_mount_points(g_server);
    gst_rtsp_mount_points_add_factory(mp, s.path.c_str(), GST_RTSP_MEDIA_FACTORY(g_object_ref(s.factory)));
    g_object_unref(mp);
}

void setupStream(Camera &c, Stream &s, bool sub)
{
    s.cam = c.id;
    s.sub = sub;
    s.path = "/cam/" + std::to_string(c.id) + (sub ? "/sub" : "/main");
    s.factory = gst_rtsp_media_factory_new();
    gst_rtsp_media_factory_set_launch(s.factory, launchLine(c, sub).c_str());
    gst_rtsp_media_factory_set_shared(s.factory, TRUE);
    g_signal_connect(s.factory, "media-configure", G_CALLBACK(onMediaConfigure), &s);
    mount(s);
}

// ---- a new viewer of a shared mount joins mid-GOP: without a key frame it sees
// nothing (or grey garbage) until the next IDR, up to a GOP (2 s) later.
Stream *streamFor(const char *abspath)
{
    for (auto &c : g_cams)
        for (Stream *s : {&c->main, &c->sub}) {
            const size_t n = s->path.size();
            if (strncmp(abspath, s->path.c_str(), n) == 0 && (abspath[n] == 0 || abspath[n] == '/'))
                return s;
        }
    return nullptr;
}

void onPlayRequest(GstRTSPClient *, GstRTSPContext *ctx, gpointer)
{
    if (!ctx->uri)
        return;
    Stream *s = streamFor(ctx->uri->abspath);
    if (!s)
        return;
    GstElement *enc = nullptr;
    {
        std::lock_guard<std::mutex> g(s->lock);
        if (s->enc)
            enc = GST_ELEMENT(gst_object_ref(s->enc));
    }
    if (!enc)
        return;
    GstPad *src = gst_element_get_static_pad(enc, "src");
    gst_pad_send_event(src, gst_video_event_new_upstream_force_key_unit(GST_CLOCK_TIME_NONE, TRUE, 0));
    gst_object_unref(src);
    gst_object_unref(enc);
    printf("key frame asked for %s\n", s->path.c_str());
}

void onClientConnected(GstRTSPServer *, GstRTSPClient *client, gpointer)
{
    if (g_cfg.keyOnJoin)
        g_signal_connect(client, "play-request", G_CALLBACK(onPlayRequest), nullptr);
}

// ---- close: drop every client that has a session on one of `paths` ----
struct PathSet
{
    std::vector<std::string> paths;
    bool hit = false;
};

GstRTSPFilterResult sessionMediaFilter(GstRTSPSession *, GstRTSPSessionMedia *sm, gpointer user)
{
    auto *ps = static_cast<PathSet *>(user);
    for (auto &p : ps->paths) {
        gint matched = 0;
        if (gst_rtsp_session_media_matches(sm, p.c_str(), &matched))
            ps->hit = true;
    }
    return GST_RTSP_FILTER_KEEP;
}

GstRTSPFilterResult sessionFilter(GstRTSPClient *, GstRTSPSession *sess, gpointer user)
{
    gst_rtsp_session_filter(sess, sessionMediaFilter, user);
    return GST_RTSP_FILTER_KEEP;
}

GstRTSPFilterResult clientFilter(GstRTSPServer *, GstRTSPClient *client, gpointer user)
{
    auto *ps = static_cast<PathSet *>(user);
    ps->hit = false;
    gst_rtsp_client_session_filter(client, sessionFilter, user);
    return ps->hit ? GST_RTSP_FILTER_REMOVE : GST_RTSP_FILTER_KEEP; // REMOVE closes it
}

void closeCamera(Camera &c)
{
    if (c.mounted) {
        GstRTSPMountPoints *mp = gst_rtsp_server_get_mount_points(g_server);
        gst_rtsp_mount_points_remove_factory(mp, c.main.path.c_str());
        gst_rtsp_mount_points_remove_factory(mp, c.sub.path.c_str());
        g_object_unref(mp);
        c.mounted = false;
    }
    PathSet ps{{c.main.path, c.sub.path}};
    gst_rtsp_server_client_filter(g_server, clientFilter, &ps);
    printf("closed cam %d\n", c.id);
}

void openCamera(Camera &c)
{
    if (!c.mounted) {
        mount(c.main);
        mount(c.sub);
        c.mounted = true;
    }
    printf("opened cam %d\n", c.id);
}

void setFault(Stream &s, int f)
{
    std::lock_guard<std::mutex> g(s.lock);
    if (s.held) {
        gst_buffer_unref(s.held);
        s.held = nullptr;
    }
    s.fault = f;
    printf("%s -> %s\n", s.path.c_str(), faultName(f));
}

// A new name for a camera: in the pictures of its running streams at once, and of later ones.
void setLabel(Camera &c, const std::string &label)
{
    for (Stream *s : {&c.main, &c.sub}) {
        std::lock_guard<std::mutex> g(s->lock);
        c.label = label;
        if (s->text)
            g_object_set(s->text, "text", labelText(c, s->sub).c_str(), nullptr);
    }
    printf("label %d\n", c.id); // not echoed: a name is the city's data, not the log's
}

void command(const std::string &line)
{
    if (line.rfind("label ", 0) == 0) { // label <id> <text up to the end of the line>
        const size_t idEnd = line.find(' ', 6);
        const int id = atoi(line.substr(6, idEnd == std::string::npos ? std::string::npos : idEnd - 6).c_str());
        const std::string text = idEnd == std::string::npos ? std::string() : line.substr(idEnd + 1);
        for (auto &c : g_cams)
            if (c->id == id) {
                setLabel(*c, text);
                return;
            }
        printf("error: no camera '%d'\n", id);
        return;
    }
    char verb[32] = {0}, who[32] = {0}, which[32] = {0};
    if (sscanf(line.c_str(), "%31s %31s %31s", verb, who, which) < 1)
        return;
    std::string v = verb;
    if (v == "quit") {
        g_main_loop_quit(g_loop);
        return;
    }
    if (v == "stats") {
        for (auto &c : g_cams)
            for (Stream *s : {&c->main, &c->sub})
                printf("stats %s frames=%llu fault=%s pipelines=%d mounted=%d\n", s->path.c_str(),
                       (unsigned long long)s->frames.load(), faultName(s->fault.load()), s->medias.load(),
                       c->mounted ? 1 : 0);
        return;
    }
    std::vector<Camera *> targets;
    for (auto &c : g_cams)
        if (std::string(who) == "all" || atoi(who) == c->id)
            targets.push_back(c.get());
    if (targets.empty()) {
        printf("error: no camera '%s'\n", who);
        return;
    }
    const std::string w = which;
    for (Camera *c : targets) {
        if (v == "close") {
            closeCamera(*c);
            continue;
        }
        if (v == "open") {
            openCamera(*c);
            continue;
        }
        int f = v == "freeze" ? Freeze : v == "black" ? Black : v == "mute" ? Mute : v == "live" ? Live : -1;
        if (f < 0) {
            printf("error: unknown command '%s'\n", verb);
            return;
        }
        if (w.empty() || w == "main")
            setFault(c->main, f);
        if (w.empty() || w == "sub")
            setFault(c->sub, f);
    }
}

gboolean onStdin(GIOChannel *ch, GIOCondition cond, gpointer)
{
    gchar *line = nullptr;
    gsize len = 0;
    GIOStatus st = (cond & G_IO_IN) ? g_io_channel_read_line(ch, &line, &len, nullptr, nullptr) : G_IO_STATUS_EOF;
    if (st == G_IO_STATUS_EOF) {
        return FALSE; // stdin closed: keep serving (run it with </dev/null if no control)
    }
    if (line) {
        command(g_strstrip(line));
        g_free(line);
    }
    return TRUE;
}

void usage()
{
    fprintf(stderr, "usage: camsim [--cams N] [--port P] [--gop-main F] [--gop-sub F] [--kbps-main K]\n"
                    "              [--kbps-sub K] [--pattern ball|smpte|snow|...] [--font NAME] [--no-stamp]\n"
                    "              [--src-latency] [--no-key-on-join] [--labels FILE]\n");
}

} // namespace

int main(int argc, char **argv)
{
    setvbuf(stdout, nullptr, _IOLBF, 0);
    gst_init(&argc, &argv);
    std::string port = "0"; // 0: the kernel picks a free one
    std::string labelsFile;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                usage();
                exit(2);
            }
            return argv[++i];
        };
        if (a == "--cams")
            g_cfg.cams = std::stoi(next());
        else if (a == "--port")
            port = next();
        else if (a == "--gop-main")
            g_cfg.gopMain = std::stoi(next());
        else if (a == "--gop-sub")
            g_cfg.gopSub = std::stoi(next());
        else if (a == "--kbps-main")
            g_cfg.kbpsMain = std::stoi(next());
        else if (a == "--kbps-sub")
            g_cfg.kbpsSub = std::stoi(next());
        else if (a == "--pattern")
            g_cfg.pattern = next();
        else if (a == "--font")
            g_cfg.font = next();
        else if (a == "--no-stamp")
            g_cfg.stampOn = false;
        else if (a == "--src-latency")
            g_cfg.srcLatency = true;
        else if (a == "--no-key-on-join")
            g_cfg.keyOnJoin = false;
        else if (a == "--labels")
            labelsFile = next();
        else {
            usage();
            return 2;
        }
    }

    std::vector<std::string> labels;
    if (!labelsFile.empty()) {
        std::FILE *f = std::fopen(labelsFile.c_str(), "r");
        if (!f) {
            fprintf(stderr, "camsim: cannot read %s: %s\n", labelsFile.c_str(), strerror(errno));
            return 2;
        }
        char buf[512];
        while (std::fgets(buf, sizeof buf, f))
            labels.emplace_back(g_strstrip(buf));
        std::fclose(f);
    }

    g_loop = g_main_loop_new(nullptr, FALSE);
    g_server = gst_rtsp_server_new();
    gst_rtsp_server_set_address(g_server, "127.0.0.1");
    gst_rtsp_server_set_service(g_server, port.c_str());
    for (int id = 1; id <= g_cfg.cams; ++id) {
        auto c = std::make_unique<Camera>();
        c->id = id;
        if (size_t(id) <= labels.size())
            c->label = labels[id - 1];
        setupStream(*c, c->main, false);
        setupStream(*c, c->sub, true);
        g_cams.push_back(std::move(c));
    }
    g_signal_connect(g_server, "client-connected", G_CALLBACK(onClientConnected), nullptr);
    if (gst_rtsp_server_attach(g_server, nullptr) == 0) {
        fprintf(stderr, "camsim: cannot listen on port %s\n", port.c_str());
        return 1;
    }
    const int bound = gst_rtsp_server_get_bound_port(g_server);
    printf("PORT %d\n", bound);
    for (auto &c : g_cams)
        printf("rtsp://127.0.0.1:%d%s  rtsp://127.0.0.1:%d%s\n", bound, c->main.path.c_str(), bound,
               c->sub.path.c_str());

    GIOChannel *in = g_io_channel_unix_new(0);
    g_io_add_watch(in, GIOCondition(G_IO_IN | G_IO_HUP | G_IO_ERR), onStdin, nullptr);
    g_main_loop_run(g_loop);
    printf("bye\n");
    return 0;
}
