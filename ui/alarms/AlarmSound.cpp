#include "AlarmSound.h"

#include "UiLogging.h"

#include <QAudioDevice>
#include <QDir>
#include <QFileInfo>
#include <QMediaDevices>
#include <QSoundEffect>
#include <QUrl>

namespace gwanje {

namespace {
// Qt 6.4 plays sound on Linux through PulseAudio (or PipeWire's PulseAudio socket) only. Without a
// server its first use prints an uncategorised warning and every play() another one, so look for
// the server's socket before touching Qt Multimedia at all.
bool soundServerReachable()
{
#if defined(Q_OS_LINUX)
    if (!qEnvironmentVariableIsEmpty("PULSE_SERVER"))
        return true;
    QStringList sockets{QStringLiteral("/run/pulse/native"), QStringLiteral("/var/run/pulse/native")};
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty())
        sockets.prepend(QDir(runtime).filePath(QStringLiteral("pulse/native")));
    for (const QString &socket : sockets) {
        if (QFileInfo::exists(socket))
            return true;
    }
    return false;
#else
    return true;
#endif
}
} // namespace

AlarmSound::AlarmSound(QObject *parent)
    : QObject(parent)
{}

AlarmSound::~AlarmSound() = default;

QString AlarmSound::resourceOf(Cue cue)
{
    switch (cue) {
    case Cue::Urgent:
        return QStringLiteral(":/sounds/alarm_urgent.wav");
    case Cue::Double:
        return QStringLiteral(":/sounds/alarm_double.wav");
    case Cue::Soft:
        return QStringLiteral(":/sounds/alarm_soft.wav");
    }
    return {};
}

bool AlarmSound::available()
{
    if (!m_available) {
        if (!soundServerReachable())
            disable("no sound server");
        else if (QMediaDevices::audioOutputs().isEmpty())
            disable("no audio output");
        else
            m_available = true;
    }
    return *m_available;
}

void AlarmSound::disable(const char *why)
{
    if (m_available == false)
        return;
    m_available = false;
    qCInfo(lcUiAlarms, "alarm sounds are off: %s", why);
    for (QSoundEffect *e : m_effects) {
        if (e)
            e->stop();
    }
}

QSoundEffect *AlarmSound::effect(Cue cue)
{
    QSoundEffect *&e = m_effects[std::size_t(cue)];
    if (!e) {
        e = new QSoundEffect(this);
        e->setSource(QUrl(QStringLiteral("qrc") + resourceOf(cue)));
        e->setVolume(cue == Cue::Soft ? 0.5f : 0.9f);
        if (cue == Cue::Urgent)
            e->setLoopCount(QSoundEffect::Infinite);
        connect(e, &QSoundEffect::statusChanged, this, [this, e] {
            if (e->status() == QSoundEffect::Error)
                disable("the tone could not be played");
        });
    }
    return e;
}

void AlarmSound::setMuted(bool muted)
{
    m_muted = muted;
    if (m_available == true) {
        for (QSoundEffect *e : m_effects) {
            if (e)
                e->setMuted(muted);
        }
    }
}

void AlarmSound::setUrgent(bool on)
{
    if (m_urgent == on)
        return;
    m_urgent = on;
    if (!available())
        return;
    QSoundEffect *e = effect(Cue::Urgent);
    e->setMuted(m_muted);
    if (on)
        e->play();
    else
        e->stop();
}

void AlarmSound::play(Cue cue)
{
    if (m_muted || !available())
        return;
    QSoundEffect *e = effect(cue);
    e->setMuted(false);
    e->play();
}

} // namespace gwanje
