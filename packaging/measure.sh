#!/usr/bin/env bash
# Size and start-up of the frozen build versus the plain venv run (same code, same deps).
#
#   bash packaging/measure.sh [RUNS]         default 5 runs each, medians printed
#   bash packaging/measure.sh 5 --drop-caches   also one disk-cold run each (root only;
#                                               drops the page cache of the whole machine)
#
# Prints: bundle size and file count; `giukin scan` of a 1 KB text (process start to exit);
# tray start to icon and to engine ready (GIUKIN_STARTUP_PROBE: the app prints wall-clock
# stamps, measured here from process launch), each frozen vs venv with the ratio.
# Builds nothing: run packaging/build.sh (or smoke.sh) first.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
EXE="$ROOT/dist/giukin/giukin"
VENV="${GIUKIN_BUILD_VENV:-$ROOT/.venv-build}"
RUNS="${1:-5}"
DROP="${2:-}"
[ -x "$EXE" ] || { echo "no build: run bash packaging/build.sh first" >&2; exit 1; }
[ -x "$VENV/bin/giukin" ] || { echo "no build venv $VENV: run bash packaging/build.sh" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/giukin-measure.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/tmp" "$WORK/home"

echo "== bundle: $(du -sh "$ROOT/dist/giukin" | cut -f1)" \
     "($(du -sm "$ROOT/dist/giukin" | cut -f1) MB, $(find "$ROOT/dist/giukin" -type f | wc -l) files; target <= 300 MB)"
echo "   largest parts:"
du -sm "$ROOT/dist/giukin/_internal"/* | sort -rn | head -6 | awk '{printf "     %4d MB  %s\n", $1, $2}' \
  | sed "s#$ROOT/dist/giukin/_internal/##"

NONET=()
if unshare -n true 2>/dev/null; then NONET=(unshare -n); fi
WRAP=()
if command -v xvfb-run >/dev/null; then WRAP=(xvfb-run -a -s "-nolisten tcp"); else export QT_QPA_PLATFORM=offscreen; fi

export FROZEN="$EXE" VENV_EXE="$VENV/bin/giukin" RUNS DROP WORK
export HOME="$WORK/home" GIUKIN_HOME="$WORK/giukin-home" TMPDIR="$WORK/tmp"
"${NONET[@]}" "${WRAP[@]}" "$VENV/bin/python" - <<'EOF'
import os, statistics, subprocess, time

frozen, venv = os.environ["FROZEN"], os.environ["VENV_EXE"]
runs, work = int(os.environ["RUNS"]), os.environ["WORK"]
sample = os.path.join(work, "1k.txt")
line = "Ông Trần Minh Khoa, CCCD 001085000123, điện thoại 0912 345 678, email khoa.tran@example.com.\n"
text = (line * 20)[:1024]
text = text.encode("utf-8")[:1024].decode("utf-8", "ignore")
with open(sample, "w", encoding="utf-8") as f:
    f.write(text)

def drop_caches() -> bool:
    try:
        subprocess.run(["sync"], check=True)
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False

def scan(exe):
    t = time.perf_counter()
    done = subprocess.run([exe, "scan", sample], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode != 1:  # 1 = findings, as the sample holds personal data
        raise SystemExit(f"{exe} scan: exit {done.returncode}: {done.stderr[-400:]}")
    return time.perf_counter() - t

def tray(exe):
    env = dict(os.environ, GIUKIN_STARTUP_PROBE="1")
    launched = time.time()
    out = subprocess.run([exe], env=env, capture_output=True, text=True, timeout=120).stderr
    stamps = dict(l.split()[:2] for l in out.splitlines() if l.split()[:1] in (["tray_at"], ["engine_at"]))
    if "engine_at" not in stamps:
        raise SystemExit(f"tray probe failed: {out[-400:]}")
    return float(stamps["tray_at"]) - launched, float(stamps["engine_at"]) - launched

def medians(f):
    """Frozen and venv runs alternate, so load from other processes hits both alike."""
    f(frozen), f(venv)  # warm-up: page cache, the venv's .pyc files
    pairs = [(f(frozen), f(venv)) for _ in range(runs)]
    def med(values):
        if isinstance(values[0], tuple):
            return tuple(statistics.median(v[i] for v in values) for i in range(len(values[0])))
        return statistics.median(values)
    return med([p[0] for p in pairs]), med([p[1] for p in pairs])

def row(name, a, b):
    print(f"   {name:<34} frozen {a:6.2f} s   venv {b:6.2f} s   ratio {a / b:4.2f}")

print(f"== start-up, median of {runs} warm runs each, alternating (network cut), frozen / venv")
row("giukin scan 1 KB (start to exit)", *medians(scan))
(ft, fe), (vt, ve) = medians(tray)
row("tray: launch to icon", ft, vt)
row("tray: launch to engine ready", fe, ve)

if os.environ.get("DROP") == "--drop-caches":
    print("== disk-cold (page cache dropped before each run)")
    if drop_caches():
        a = scan(frozen); drop_caches(); b = scan(venv)
        row("giukin scan 1 KB, cold", a, b)
        drop_caches(); ft, fe = tray(frozen); drop_caches(); vt, ve = tray(venv)
        row("tray to icon, cold", ft, vt)
        row("tray to engine ready, cold", fe, ve)
    else:
        print("   cannot drop the page cache here (needs root and a writable /proc/sys)")
EOF
