#!/usr/bin/env python3
"""Reference side of the JSON parity test (DicomArchive.Service.Tests, JsonParityTests).

Reads file paths, one per line, from stdin and writes one JSON object per line to stdout:
  {"file": PATH, "ok": true, "forced": false, "dataset": {...}, "invalid": [...]}
  {"file": PATH, "ok": false, "error": "..."}
"dataset" is pydicom's DataElement.to_json_dict() of each element of the data set (the file meta
group is not part of it), bulk data always inlined. Elements pydicom cannot convert are listed in
"invalid" instead of failing the whole file. A file pydicom refuses as "not DICOM" (no preamble)
is read again with force=True and marked "forced": the test compares those only when our reader
accepts the file too, because forced reading turns any bytes into some data set.
Non-finite floats (NaN, Infinity) have no JSON number form: they are written as the strings
"NaN", "Infinity", "-Infinity", as our writer does, so the output is strict JSON.
One process serves all files because the interpreter starts slowly.
"""
import json
import math
import sys
import warnings

import pydicom

HUGE = 1 << 62


def finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    return value


def convert(path, force):
    ds = pydicom.dcmread(path, force=force)
    ds.file_meta = pydicom.dataset.FileMetaDataset()
    result = {}
    invalid = []
    for elem in ds:
        key = "%08X" % elem.tag
        try:
            result[key] = finite(elem.to_json_dict(None, HUGE))
        except Exception as ex:  # noqa: BLE001 - one bad element must not hide the others
            invalid.append({"tag": key, "error": type(ex).__name__ + ": " + str(ex)})
    return result, invalid


def main():
    warnings.simplefilter("ignore")
    out = sys.stdout
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        record = None
        for force in (False, True):
            try:
                dataset, invalid = convert(path, force)
                record = {"file": path, "ok": True, "forced": force, "dataset": dataset, "invalid": invalid}
                break
            except pydicom.errors.InvalidDicomError as ex:
                record = {"file": path, "ok": False, "error": type(ex).__name__ + ": " + str(ex)}
            except Exception as ex:  # noqa: BLE001 - the failure itself is the result
                record = {"file": path, "ok": False, "error": type(ex).__name__ + ": " + str(ex)}
                break
        out.write(json.dumps(record, ensure_ascii=True, allow_nan=False))
        out.write("\n")
        out.flush()


if __name__ == "__main__":
    main()
