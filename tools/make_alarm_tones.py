#!/usr/bin/env python3
"""Writes the alarm panel's tones (resources/sounds/*.wav): 16 kHz mono 16-bit PCM, a few KB each.

    python3 tools/make_alarm_tones.py [OUTPUT_DIR]

urgent: two alternating pitches then a pause (QSoundEffect loops it while a priority-1 alarm is
unacknowledged); double: two short beeps (priority 2); soft: one gentle tone (priorities 3 and 4).
Deterministic: the same bytes on every run, so the committed files can be regenerated and compared.
"""
import math
import os
import struct
import sys

RATE = 16000


def tone(freq, seconds, volume, ramp=0.006):
    n = int(RATE * seconds)
    r = max(1, int(RATE * ramp))
    out = []
    for i in range(n):
        envelope = min(1.0, i / r, (n - 1 - i) / r)  # no clicks at the edges
        out.append(volume * envelope * math.sin(2 * math.pi * freq * i / RATE))
    return out


def silence(seconds):
    return [0.0] * int(RATE * seconds)


def wav(samples):
    data = b"".join(struct.pack("<h", int(round(max(-1.0, min(1.0, s)) * 32767))) for s in samples)
    header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, RATE, RATE * 2, 2, 16)
    header += b"data" + struct.pack("<I", len(data))
    return header + data


TONES = {
    "alarm_urgent.wav": tone(1000, 0.14, 0.8) + tone(1400, 0.14, 0.8) + tone(1000, 0.14, 0.8)
    + tone(1400, 0.14, 0.8) + silence(0.4),
    "alarm_double.wav": tone(880, 0.12, 0.7) + silence(0.08) + tone(880, 0.12, 0.7),
    "alarm_soft.wav": tone(660, 0.25, 0.4, ramp=0.05),
}


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "resources", "sounds")
    os.makedirs(out_dir, exist_ok=True)
    for name, samples in TONES.items():
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(wav(samples))


if __name__ == "__main__":
    main()
