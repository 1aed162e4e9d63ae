#!/usr/bin/env bash
# CI step: prove the NuGet packages work as shipped, not just the source tree.
#  1. Packs EcgVision, EcgVision.Imaging, EcgVision.Torch, EcgVision.VectorData and the EcgVision.Cli tool (packages.slnf) into a temporary
#     folder with a unique prerelease version, so no stale copy in the NuGet cache can be picked up.
#  2. Builds and runs samples 04-SearchEmbeddings and 01-EncodeSignal against those packages
#     (-p:EcgVisionFromPackages=true) and checks exit codes and expected output lines; builds 03-TrainClip (Torch) too.
#  3. Installs the tool from the folder into a temporary tool path and runs `ecgvision --help` and `ecgvision synth`.
# Runs from the repository root; leaves nothing behind (temp folders and the version's NuGet cache entries are removed).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$(date +%s)
base_version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
version="${base_version:-0.1.0}-ci.${started}.$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/ecgvision-pack.XXXXXX")
packages="$work/packages"
nuget_cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"

cleanup() {
  rm -rf "$work"
  for id in ecgvision ecgvision.imaging ecgvision.torch ecgvision.vectordata ecgvision.cli; do
    rm -rf "${nuget_cache:?}/$id/$version"
    rmdir "$nuget_cache/$id" 2>/dev/null || true   # only if no other version is cached
  done
}
trap cleanup EXIT

fail() { echo "pack-and-run-sample: FAILED: $*" >&2; exit 1; }
step() { echo "== $* ($(( $(date +%s) - started )) s)"; }

step "pack $version"
dotnet pack packages.slnf -c Release -o "$packages" -p:Version="$version" -nologo
for id in EcgVision EcgVision.Imaging EcgVision.Torch EcgVision.VectorData EcgVision.Cli; do
  [[ -f "$packages/$id.$version.nupkg" ]] || fail "missing package $id.$version.nupkg"
  [[ -f "$packages/$id.$version.snupkg" ]] || fail "missing symbol package $id.$version.snupkg"
done
# The core package must stay free of native dependencies; Imaging must not pull in TorchSharp.
core_nuspec=$(unzip -p "$packages/EcgVision.$version.nupkg" EcgVision.nuspec)
grep -qiE 'id="(TorchSharp|SkiaSharp|SixLabors)' <<<"$core_nuspec" && fail "EcgVision depends on TorchSharp/SkiaSharp/ImageSharp"
unzip -p "$packages/EcgVision.Imaging.$version.nupkg" EcgVision.Imaging.nuspec | grep -qi 'id="TorchSharp' && fail "EcgVision.Imaging depends on TorchSharp"
for id in EcgVision EcgVision.Imaging EcgVision.Torch EcgVision.VectorData; do
  listing=$(unzip -l "$packages/$id.$version.nupkg")
  for f in "lib/net10.0/$id.dll" "lib/net10.0/$id.xml" README.md LICENSE; do
    grep -q " $f\$" <<<"$listing" || fail "$id package lacks $f"
  done
done

# Build a sample against the packages (own artifacts folder, so the source build's obj/ is untouched).
build_sample() {
  step "build $1 against the packages"
  dotnet build "samples/$1/$1.csproj" -c Release -nologo --artifacts-path "$work/artifacts" \
    -p:EcgVisionFromPackages=true -p:EcgVisionPackageVersion="$version" -p:RestoreAdditionalProjectSources="$packages"
}

# Build a sample against the packages and run it in a scratch folder (it writes ./out there).
# $1 = sample, $2 = text that must appear in its output.
run_sample() {
  local sample=$1 expected=$2 log="$work/$1.log"
  build_sample "$sample"
  local dll
  dll=$(find "$work/artifacts/bin/$sample" -name "$sample.dll" -print -quit)
  [[ -n "$dll" ]] || fail "$sample.dll not found under $work/artifacts/bin/$sample"
  step "run $sample"
  mkdir -p "$work/run-$sample"
  (cd "$work/run-$sample" && dotnet "$dll") | tee "$log" || fail "$sample exited with status ${PIPESTATUS[0]}"
  grep -qF "$expected" "$log" || fail "$sample output lacks '$expected'"
}

run_sample 04-SearchEmbeddings "same results: True"
run_sample 01-EncodeSignal "Wrote 5 images to ./out"
[[ -s "$work/run-01-EncodeSignal/out/01-gasf.png" ]] || fail "01-EncodeSignal wrote no out/01-gasf.png"
# The Torch package (with TorchSharp-cpu chosen by the app) must resolve and compile too; training is left to the
# sample's own run, which takes a minute.
build_sample 03-TrainClip

step "install the ecgvision tool from the packages"
tools="$work/tools"
dotnet tool install EcgVision.Cli --tool-path "$tools" --add-source "$packages" --version "$version"
"$tools/ecgvision" --help | tee "$work/help.log"
grep -q "synth" "$work/help.log" || fail "ecgvision --help does not list the synth command"
"$tools/ecgvision" synth --count 3 --out "$work/synth" | tee "$work/synth.log"
grep -q "Wrote 3 records" "$work/synth.log" || fail "ecgvision synth did not report 3 records"
[[ -s "$work/synth/ptbxl_database.csv" ]] || fail "ecgvision synth wrote no ptbxl_database.csv"

step "packages, samples 04 and 01 (03 built) and the tool all work (version $version)"
