#!/usr/bin/env python3
"""Refresh internal/cfngen/descriptions.json.gz, the documentation text of
CloudFormation resource types, properties, property types and attributes,
from the db.json.gz of the npm package @aws-cdk/aws-service-spec (run by
`make cfn-docs`).

cfn-lint's copy of the registry schemas (internal/cfngen/schemas) has the
descriptions stripped; the generator takes them from this file instead,
whenever a schema has none. Output, gzipped with no timestamp so that it is
byte-for-byte reproducible:

  {"AWS::EKS::Cluster": {"doc": "...", "props": {"Name": "..."},
                         "attrs": {"Arn": "..."},
                         "types": {"ResourcesVpcConfig": {"doc": "...", "props": {...}}}}}

Usage: refresh_docs.py PATH/TO/db.json.gz OUT.json.gz [VERSION]
"""
import gzip
import json
import sys


def main():
    src, out = sys.argv[1], sys.argv[2]
    with gzip.open(src, "rt", encoding="utf-8") as f:
        db = json.load(f)["schema"]
    types_by_id = {t["$id"]: t for t in db["typeDefinition"]["entities"]}
    uses = db["usesType"]["forward"]
    result = {}
    for r in db["resource"]["entities"]:
        typ = r.get("cloudFormationType")
        if not typ:
            continue
        entry = {}
        if r.get("documentation"):
            entry["doc"] = r["documentation"]
        props = {n: p["documentation"] for n, p in (r.get("properties") or {}).items() if p.get("documentation")}
        if props:
            entry["props"] = props
        attrs = {n: a["documentation"] for n, a in (r.get("attributes") or {}).items() if a.get("documentation")}
        if attrs:
            entry["attrs"] = attrs
        tdefs = {}
        for ref in uses.get(r["$id"], []):
            t = types_by_id.get(ref["$id"])
            if not t:
                continue
            te = {}
            if t.get("documentation"):
                te["doc"] = t["documentation"]
            tp = {n: p["documentation"] for n, p in (t.get("properties") or {}).items() if p.get("documentation")}
            if tp:
                te["props"] = tp
            if te:
                tdefs[t["name"]] = te
        if tdefs:
            entry["types"] = tdefs
        if entry:
            result[typ] = entry
    data = json.dumps(result, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    with open(out, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write(data)
    print("wrote documentation of %d resource types to %s (%d bytes uncompressed)" % (len(result), out, len(data)))


if __name__ == "__main__":
    main()
