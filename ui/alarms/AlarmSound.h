#pragma once

#include <QObject>

#include <array>
#include <optional>

class QSoundEffect;

namespace gwanje {

// The audible cues of new alarms (tones in :/sounds): an urgent tone that repeats while a
// priority-1 alarm waits for acknowledgement, a double beep for priority 2, a single soft tone for
// 3 and 4. Where there is no audio output (a headless machine, no sound server) it says so once in
// the log and stays silent; it never blocks the GUI. Owned by the composition root; GUI thread.
class AlarmSound : public QObject
{
    Q_OBJECT

public:
    enum class Cue { Urgent, Double, Soft };
    Q_ENUM(Cue)

    explicit AlarmSound(QObject *parent = nullptr);
    ~AlarmSound() override;

    // False when nothing can be heard here; every call is then a no-op. Probes on first use.
    bool available();
    bool isMuted() const { return m_muted; }
    void setMuted(bool muted);
    // The urgent tone, repeating until switched off.
    void setUrgent(bool on);
    bool isUrgent() const { return m_urgent; }
    void play(Cue cue);

    static QString resourceOf(Cue cue);

private:
    QSoundEffect *effect(Cue cue);
    void disable(const char *why);

    std::array<QSoundEffect *, 3> m_effects{};
    std::optional<bool> m_available;
    bool m_muted = false;
    bool m_urgent = false;
};

} // namespace gwanje
