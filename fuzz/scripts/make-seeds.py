#!/usr/bin/python3
"""Builds fuzzing seed folders in a temporary directory (never in the repository).

Copies small sample files from ../shared/data/formats (or $ECGVISION_SHARED) and writes small synthetic SCP-ECG and
DICOM seeds (a few dozen samples each) so that instrumented executions stay fast.

usage: fuzz/scripts/make-seeds.py <output folder>
"""
import os, shutil, struct, sys, random

out = sys.argv[1]
shared = os.environ.get("ECGVISION_SHARED") or os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared")
fmt = os.path.join(shared, "data", "formats")
targets = ["aecg", "muse", "edf", "scp", "scp-resealed", "dicom", "sierra", "ecgfile", "wfdb-header", "wfdb", "ptbxl"]
for t in targets:
    os.makedirs(os.path.join(out, t), exist_ok=True)

def copy(rel, target):
    shutil.copy(os.path.join(fmt, rel), os.path.join(out, target))

copy("hl7-aecg/fda_minimum_aecg.xml", "aecg")
copy("ge-muse-xml/muse_ecg1.xml", "muse")
copy("philips-sierra-xml/129DYPRG.XML", "sierra")
copy("scp-ecg/ecgtoolkit_example.scp", "scp")
copy("scp-ecg/healforce_prince180d_62.SCP", "scp")
copy("dicom-ecg/ecgtoolkit_example.dcm", "dicom")

# EDF: header + 5 of the 600 one-second records (the record count field patched to 5).
edf = bytearray(open(os.path.join(fmt, "edf/wfdb_test_generator_2.edf"), "rb").read()[: 3328 + 5 * 4502])
edf[236:244] = b"5       "
open(os.path.join(out, "edf", "small.edf"), "wb").write(edf)

def crc(d):
    c = 0xFFFF
    for b in d:
        c ^= b << 8
        for _ in range(8):
            c = ((c << 1) ^ 0x1021) & 0xFFFF if c & 0x8000 else (c << 1) & 0xFFFF
    return c

def scp(sections, proto=20):
    ids = sorted(sections)
    s0len = 16 + 10 * (len(ids) + 1)
    off, o = {}, 6 + s0len
    for i in ids:
        off[i] = o
        o += 16 + len(sections[i])
    f = bytearray(o)
    struct.pack_into("<I", f, 2, o)
    def sec(at, sid, data):
        struct.pack_into("<HIBB", f, at + 2, sid, 16 + len(data), proto, proto)
        f[at + 10:at + 16] = b"SCPECG"
        f[at + 16:at + 16 + len(data)] = data
        struct.pack_into("<H", f, at, crc(f[at + 2:at + 16 + len(data)]))
    s0 = struct.pack("<HII", 0, s0len, 7) + b"".join(struct.pack("<HII", i, 16 + len(sections[i]), off[i] + 1) for i in ids)
    sec(6, 0, s0)
    for i in ids:
        sec(off[i], i, sections[i])
    struct.pack_into("<H", f, 0, crc(f[2:]))
    return bytes(f)

def bits_to_bytes(bits):
    bits += "0" * ((8 - len(bits) % 8) % 8)
    return bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))

def huff_default(vals):
    bits = ""
    for v in vals:
        if v == 0: bits += "0"
        elif abs(v) <= 8: bits += "1" * abs(v) + "0" + ("1" if v < 0 else "0")
        elif -128 <= v <= 127: bits += "1111111110" + format(v & 0xFF, "08b")
        else: bits += "1111111111" + format(v & 0xFFFF, "016b")
    return bits_to_bytes(bits)

random.seed(1)
n, leads = 40, [1, 2, 3, 4, 5, 6, 7, 8, 61, 62, 63, 64]
s1 = (bytes([2]) + struct.pack("<H", 4) + b"ID1\0" + bytes([4]) + struct.pack("<HHB", 3, 49, 1) + bytes([8, 1, 0, 1])
      + bytes([25]) + struct.pack("<HHBB", 4, 2002, 11, 22) + bytes([26]) + struct.pack("<HBBB", 3, 9, 10, 0) + bytes([255, 0, 0]))
s3 = bytes([12, 0b100]) + b"".join(struct.pack("<IIB", 1, n, l) for l in leads)
s3ref = bytes([12, 0b101]) + s3[2:]
data = [huff_default([random.randint(-12, 12) for _ in range(n)]) for _ in leads]
s6 = struct.pack("<HHBB", 2500, 2000, 2, 0) + b"".join(struct.pack("<H", len(d)) for d in data) + b"".join(data)
rb = [huff_default([random.randint(-5, 5) for _ in range(10)]) for _ in leads]
s5 = struct.pack("<HHBB", 2500, 2000, 0, 0) + b"".join(struct.pack("<H", len(d)) for d in rb) + b"".join(rb)
s4 = struct.pack("<HHH", 20, 5, 2) + struct.pack("<HIII", 0, 5, 8, 12) + struct.pack("<HIII", 0, 20, 24, 28) + struct.pack("<II", 5, 12) * 2
s7 = struct.pack("<BBHH", 1, 0, 29999, 29999) + struct.pack("<HHHHHhhh", 100, 150, 200, 300, 500, 10, -20, 30)
s8 = bytes([1]) + struct.pack("<HBBBBB", 2002, 11, 22, 9, 10, 0) + bytes([1, 1]) + struct.pack("<H", 6) + b"Sinus\0"
table = (struct.pack("<H", 4) + struct.pack("<BBBhI", 1, 1, 1, 0, 0) + struct.pack("<BBBhI", 2, 2, 1, 1, 0b01)
         + struct.pack("<BBBhI", 3, 11, 1, 0, 0b011) + struct.pack("<BBBhI", 3, 3, 0, 2, 0b111))
custom = [bits_to_bytes("111" + "".join("0" if v == 0 else "10" if v == 1 else "110" + format(v & 0xFF, "08b") for v in [random.randint(-3, 3) for _ in range(n)])) for _ in leads]
s6c = struct.pack("<HHBB", 5000, 4000, 1, 0) + b"".join(struct.pack("<H", len(d)) for d in custom) + b"".join(custom)
raw = [b"".join(struct.pack("<h", random.randint(-300, 300)) for _ in range(n)) for _ in leads]
s6r = struct.pack("<HHBB", 1000, 2000, 0, 0) + b"".join(struct.pack("<H", len(d)) for d in raw) + b"".join(raw)
small_scp = {
    "default.scp": scp({1: s1, 2: struct.pack("<H", 19999), 3: s3, 6: s6, 7: s7, 8: s8}),
    "refbeat.scp": scp({2: struct.pack("<H", 19999), 3: s3ref, 4: s4, 5: s5, 6: s6}),
    "custom.scp": scp({2: struct.pack("<H", 2) + table + table, 3: s3, 6: s6c}),
    "raw.scp": scp({3: s3, 6: s6r}, 13),
}
for name, content in small_scp.items():
    for t in ["scp", "scp-resealed"]:
        open(os.path.join(out, t, name), "wb").write(content)

LONG = {"OB", "OW", "SQ", "UN", "UT"}
def tag(t): return struct.pack("<HH", t >> 16, t & 0xFFFF)
def el(t, vr, v, imp):
    if len(v) % 2: v += b"\0" if vr in ("OB", "OW", "UI") else b" "
    if imp: return tag(t) + struct.pack("<I", len(v)) + v
    if vr in LONG: return tag(t) + vr.encode() + b"\0\0" + struct.pack("<I", len(v)) + v
    return tag(t) + vr.encode() + struct.pack("<H", len(v)) + v
def seq(t, items, imp, undef):
    c = b""
    for it in items:
        c += tag(0xFFFEE000) + struct.pack("<I", 0xFFFFFFFF if undef else len(it)) + it
        if undef: c += tag(0xFFFEE00D) + struct.pack("<I", 0)
    if not undef: return el(t, "SQ", c, imp)
    return tag(t) + (b"" if imp else b"SQ\0\0") + struct.pack("<I", 0xFFFFFFFF) + c + tag(0xFFFEE0DD) + struct.pack("<I", 0)
def group(orig, label, leads, n, imp, undef):
    chans = []
    for l in leads:
        code = el(0x00080100, "SH", f"5.6.3-9-{l}".encode(), imp) + el(0x00080102, "SH", b"SCPECG", imp)
        chans.append(seq(0x003A0208, [code], imp, undef) + el(0x003A0210, "DS", b"2.5", imp)
                     + seq(0x003A0211, [el(0x00080100, "SH", b"uV", imp)], imp, undef) + el(0x003A0212, "DS", b"1", imp) + el(0x003A0213, "DS", b"0", imp))
    data = b"".join(struct.pack("<h", (k * 37 + c * 11) % 400 - 200) for k in range(n) for c in range(len(leads)))
    return (el(0x003A0004, "CS", orig.encode(), imp) + el(0x003A0005, "US", struct.pack("<H", len(leads)), imp)
            + el(0x003A0010, "UL", struct.pack("<I", n), imp) + el(0x003A001A, "DS", b"500", imp) + el(0x003A0020, "SH", label.encode(), imp)
            + seq(0x003A0200, chans, imp, undef) + el(0x54001004, "US", struct.pack("<H", 16), imp) + el(0x54001006, "CS", b"SS", imp)
            + el(0x5400100A, "OW", struct.pack("<h", -32768), imp) + el(0x54001010, "OW", data, imp))
for imp, undef, name in [(False, False, "explicit.dcm"), (True, True, "implicit-undef.dcm")]:
    body = (el(0x00080016, "UI", b"1.2.840.10008.5.1.4.1.1.9.1.1", imp) + el(0x0008002A, "DT", b"20200102030405", imp)
            + el(0x00100020, "LO", b"P1", imp) + el(0x00100030, "DA", b"19500101", imp) + el(0x00101010, "AS", b"070Y", imp)
            + el(0x00100040, "CS", b"F", imp)
            + seq(0x54000100, [group("ORIGINAL", "RHYTHM", [1, 2, 3, 61], 30, imp, undef), group("DERIVED", "MEDIAN BEAT", [1, 2, 3, 61], 10, imp, undef)], imp, undef))
    ts = b"1.2.840.10008.1.2" if imp else b"1.2.840.10008.1.2.1"
    open(os.path.join(out, "dicom", name), "wb").write(b"\0" * 128 + b"DICM" + el(0x00020010, "UI", ts, False) + body)

for src in ["aecg/fda_minimum_aecg.xml", "edf/small.edf", "sierra/129DYPRG.XML", "scp/default.scp", "dicom/explicit.dcm"]:
    shutil.copy(os.path.join(out, src), os.path.join(out, "ecgfile"))
# WFDB and PTB-XL seeds from ../shared/data/ptb-xl (image and index seeds come from `EcgVision.Fuzz <t> --make-seeds`).
ptb = os.path.join(shared, "data", "ptb-xl")
shutil.copy(os.path.join(ptb, "records100/00000/00001_lr.hea"), os.path.join(out, "wfdb-header"))
shutil.copy(os.path.join(ptb, "records100/00000/00002_lr.hea"), os.path.join(out, "wfdb-header"))
shutil.copy(os.path.join(ptb, "records500/00000/00001_hr.hea"), os.path.join(out, "wfdb-header"))
# wfdb: header + "\n@@DAT@@\n" + signal bytes; the first 50 samples of 00001_lr with the checksums recomputed, and a format-212 record.
hea = open(os.path.join(ptb, "records100/00000/00001_lr.hea")).read().splitlines()
dat = open(os.path.join(ptb, "records100/00000/00001_lr.dat"), "rb").read()[: 50 * 24]
v = struct.unpack("<%dh" % (50 * 12), dat)
lines = [hea[0].replace(" 1000", " 50")]
for i, line in enumerate(hea[1:13]):
    f = line.split(" ")
    f[6] = str(sum(v[i::12]) & 0xFFFF)
    lines.append(" ".join(f))
open(os.path.join(out, "wfdb", "short"), "wb").write(("\n".join(lines) + "\n").encode() + b"\n@@DAT@@\n" + dat)
open(os.path.join(out, "wfdb", "fmt212"), "wb").write(b"r 2 100 20\nr.dat 212 200 12 0\nr.dat 212 200 12 0\n\n@@DAT@@\n" + bytes(range(60)))
# ptbxl: the CSV header and its first five rows.
rows = open(os.path.join(ptb, "ptbxl_database.csv"), "rb").read().split(b"\n")
open(os.path.join(out, "ptbxl", "db5.csv"), "wb").write(b"\n".join(rows[:6]) + b"\n")
print("seeds in", out)
