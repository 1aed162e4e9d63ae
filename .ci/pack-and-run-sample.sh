#!/usr/bin/env bash
# CI step: prove the NuGet packages work as shipped, not just the source tree.
#  1. Packs EcgVision, EcgVision.Imaging, EcgVision.Torch, EcgVision.VectorData and the EcgVision.Cli tool (packages.slnf) into a temporary
#     folder with a unique prerelease version, so no stale copy in the NuGet cache can be picked up.
#  2. Builds and runs samples 04-SearchEmbeddings, 01-EncodeSignal and 06-QueryWithPhoto against those packages
#     (-p:EcgVisionFromPackages=true) and checks exit codes and expected output lines; builds 03-TrainClip (Torch) too.
#  3. Checks the tool's platform-specific layout: a small pointer package EcgVision.Cli (DotnetTool, no binaries) that names
#     one package per RID, and EcgVision.Cli.<rid> (DotnetToolRidPackage) for linux-x64, win-x64 and osx-arm64, each carrying
#     only its own platform's libtorch.
#  4. Installs the tool from the folder into a temporary tool path (dotnet picks EcgVision.Cli.linux-x64 here) and runs
#     `ecgvision --help`, `ecgvision synth`, then `ecgvision render` (SkiaSharp native) and a 1-epoch `ecgvision train`
#     (libtorch native) from the installed package.
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
  for id in ecgvision ecgvision.imaging ecgvision.torch ecgvision.vectordata ecgvision.cli \
    ecgvision.cli.linux-x64 ecgvision.cli.win-x64 ecgvision.cli.osx-arm64; do
    rm -rf "${nuget_cache:?}/$id/$version"
    rmdir "$nuget_cache/$id" 2>/dev/null || true   # only if no other version is cached
  done
}
trap cleanup EXIT

fail() { echo "pack-and-run-sample: FAILED: $*" >&2; exit 1; }
step() { echo "== $* ($(( $(date +%s) - started )) s)"; }

step "pack $version"
dotnet pack packages.slnf -c Release -o "$packages" -p:Version="$version" -nologo
tool_rids=(linux-x64 win-x64 osx-arm64)
for id in EcgVision EcgVision.Imaging EcgVision.Torch EcgVision.VectorData EcgVision.Cli "${tool_rids[@]/#/EcgVision.Cli.}"; do
  [[ -f "$packages/$id.$version.nupkg" ]] || fail "missing package $id.$version.nupkg"
  # The tool's pointer package holds no binaries, so it has no symbol package; every other package has one.
  [[ $id == EcgVision.Cli || -f "$packages/$id.$version.snupkg" ]] || fail "missing symbol package $id.$version.snupkg"
done
# The tool ships per platform: the pointer package lists the RID packages and carries no binaries; each RID package carries
# only its own libtorch.
pointer="$packages/EcgVision.Cli.$version.nupkg"
settings=$(unzip -p "$pointer" tools/any/any/DotnetToolSettings.xml) || fail "EcgVision.Cli lacks tools/any/any/DotnetToolSettings.xml"
for rid in "${tool_rids[@]}"; do
  grep -q "RuntimeIdentifier=\"$rid\" Id=\"EcgVision.Cli.$rid\"" <<<"$settings" || fail "EcgVision.Cli does not point to EcgVision.Cli.$rid"
done
if unzip -l "$pointer" | grep -qiE '\.(dll|so|dylib)$'; then fail "the EcgVision.Cli pointer package carries binaries"; fi
(( $(stat -c %s "$pointer") < 100000 )) || fail "the EcgVision.Cli pointer package is $(stat -c %s "$pointer") bytes"
declare -A own_torch=([linux-x64]=libtorch_cpu.so [win-x64]=torch_cpu.dll [osx-arm64]=libtorch_cpu.dylib)
for rid in "${tool_rids[@]}"; do
  listing=$(unzip -l "$packages/EcgVision.Cli.$rid.$version.nupkg")
  grep -q " tools/net10.0/$rid/EcgVision.Cli.dll\$" <<<"$listing" || fail "EcgVision.Cli.$rid lacks tools/net10.0/$rid/EcgVision.Cli.dll"
  grep -q " tools/net10.0/$rid/${own_torch[$rid]}\$" <<<"$listing" || fail "EcgVision.Cli.$rid lacks its ${own_torch[$rid]}"
  for other in "${tool_rids[@]}"; do
    if [[ $other != "$rid" ]] && grep -qF "${own_torch[$other]}" <<<"$listing"; then
      fail "EcgVision.Cli.$rid carries ${own_torch[$other]} (another platform's libtorch)"
    fi
  done
  unzip -p "$packages/EcgVision.Cli.$rid.$version.nupkg" EcgVision.Cli.$rid.nuspec | grep -q 'packageType name="DotnetToolRidPackage"' \
    || fail "EcgVision.Cli.$rid is not a DotnetToolRidPackage"
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
# The Torch package (with TorchSharp-cpu chosen by the app) must resolve and compile too; 03's training is left to the
# sample's own run. 06 runs end to end from the packages (about 1.5 min): train, index, photo → digitiser → search.
build_sample 03-TrainClip
run_sample 06-QueryWithPhoto "Digitised: rotation"
[[ -s "$work/run-06-QueryWithPhoto/out/photo.png" ]] || fail "06-QueryWithPhoto wrote no out/photo.png"

step "install the ecgvision tool from the packages"
tools="$work/tools"
dotnet tool install EcgVision.Cli --tool-path "$tools" --add-source "$packages" --version "$version"
"$tools/ecgvision" --help | tee "$work/help.log"
grep -q "synth" "$work/help.log" || fail "ecgvision --help does not list the synth command"
"$tools/ecgvision" synth --count 3 --out "$work/synth" | tee "$work/synth.log"
grep -q "Wrote 3 records" "$work/synth.log" || fail "ecgvision synth did not report 3 records"
[[ -s "$work/synth/ptbxl_database.csv" ]] || fail "ecgvision synth wrote no ptbxl_database.csv"
grep -qE '^  ecgvision \[command\]' "$work/help.log" || fail "ecgvision --help does not show the usage line 'ecgvision [command] ...'"
tool_version=$("$tools/ecgvision" --version)
[[ $tool_version == "$version"* ]] || fail "ecgvision --version printed '$tool_version', expected $version"
# The native libraries come from the RID package: SkiaSharp (render) and libtorch (a 1-epoch train on 20 synthetic records).
"$tools/ecgvision" render "$work/synth/records100/00000/00001_lr" --dpi 50 --out "$work/render.png"
[[ -s "$work/render.png" ]] || fail "ecgvision render wrote no PNG"
"$tools/ecgvision" synth --count 20 --out "$work/synth20" >/dev/null
"$tools/ecgvision" train --data "$work/synth20" --preset micro --size 16 --epochs 1 --out "$work/model" | tail -n 3
[[ -s "$work/model/manifest.json" ]] || fail "ecgvision train (libtorch from the installed tool) wrote no model"

step "packages, samples 04, 01 and 06 (03 built) and the per-RID tool all work (version $version)"
