#!/bin/bash
# Runs every harness under afl-fuzz (SharpFuzz AFL mode), one after the other.
# usage: fuzz/scripts/run-afl.sh <work folder> [seconds per target (default 600)] [targets...]
# Needs: afl++ (Debian package), the sharpfuzz dotnet tool (NuGet SharpFuzz.CommandLine 2.3.0).
set -euo pipefail
work=${1:?work folder}; seconds=${2:-600}; shift $(( $# >= 2 ? 2 : 1 ))
targets=${*:-"scp-resealed dicom sierra scp aecg muse edf ecgfile wfdb-header wfdb ptbxl image index index-resealed checkpoint"}
repo=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$work" "$work/findings"
dotnet build "$repo/fuzz/EcgVision.Fuzz" -c Release -o "$work/bin" > "$work/build.log"
/usr/bin/python3 "$repo/fuzz/scripts/make-seeds.py" "$work/seeds"
for t in image index index-resealed checkpoint; do dotnet "$work/bin/EcgVision.Fuzz.dll" $t --make-seeds "$work/seeds/$t"; done   # before instrumenting
sharpfuzz "$work/bin/EcgVision.dll"                       # instrument the libraries under test
sharpfuzz "$work/bin/EcgVision.Imaging.dll"
sharpfuzz "$work/bin/EcgVision.Torch.dll"                 # checkpoint target: config/manifest handling and the state_dict check
sharpfuzz "$work/bin/SixLabors.ImageSharp.dll"           # so that the image target sees PNG/JPEG decoder coverage
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
for t in $targets; do
  afl-fuzz -V "$seconds" -i "$work/seeds/$t" -o "$work/findings/$t" -t 5000 -m none -- dotnet "$work/bin/EcgVision.Fuzz.dll" "$t" > "$work/$t.log" 2>&1 || true
  grep -E "run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs" "$work/findings/$t/default/fuzzer_stats" | sed "s/^/$t /"
done
