#!/usr/bin/env python3
"""Reference side of the JSON parity test (DicomArchive.Service.Tests, JsonParityTests).

Reads file paths, one per line, from stdin and writes one JSON object per line to stdout:
  {"file": PATH, "ok": true, "dataset": <pydicom's Dataset.to_json_dict() of the data set>}
  {"file": PATH, "ok": false, "error": "..."}
One process serves all files because the interpreter starts slowly. The file meta group is not
part of the output (Dataset.to_json_dict works on the data set only). Bulk data is always inlined.
Elements pydicom cannot convert are reported in "invalid" (tag list) instead of failing the file.
"""
import json
import sys
import warnings

import pydicom

HUGE = 1 << 62


def convert(path):
    ds = pydicom.dcmread(path)  # no force: a file pydicom does not recognise as DICOM is a failure
    ds.file_meta = pydicom.dataset.FileMetaDataset()
    result = {}
    invalid = []
    for elem in ds:
        key = "%08X" % elem.tag
        try:
            result[key] = elem.to_json_dict(None, HUGE)
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
        try:
            dataset, invalid = convert(path)
            record = {"file": path, "ok": True, "dataset": dataset, "invalid": invalid}
        except Exception as ex:  # noqa: BLE001 - the failure itself is the result
            record = {"file": path, "ok": False, "error": type(ex).__name__ + ": " + str(ex)}
        out.write(json.dumps(record, ensure_ascii=True, allow_nan=True))
        out.write("\n")
        out.flush()


if __name__ == "__main__":
    main()
