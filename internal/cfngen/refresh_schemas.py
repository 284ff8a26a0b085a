#!/usr/bin/env python3
"""Refresh internal/cfngen/schemas from the CloudFormation registry schemas
bundled with the installed cfn-lint (run by `make cfn-schemas`).

cfn-lint keeps one copy of each distinct schema under data/schemas/resources,
named by a hash, and maps every region's resource types to those copies in
data/schemas/providers/<region>.py. We take us-east-1's schema for each type,
and for a type not offered there, the schema of the first region (by name)
that has it. Each schema is written unchanged (bytes as cfn-lint ships them)
as <vendor>-<service>-<resource>.json, lower case, the naming of the
registry's own schema download. SOURCE records the cfn-lint version.
"""
import importlib
import os
import pkgutil
import sys

import cfnlint
import cfnlint.data.schemas.providers as providers

try:
    from importlib.metadata import version
    CFN_LINT_VERSION = version("cfn-lint")
except Exception:  # pragma: no cover
    CFN_LINT_VERSION = "unknown"


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas")
    base = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas", "resources")
    regions = sorted(m.name for m in pkgutil.iter_modules(providers.__path__))
    regions.remove("us_east_1")
    regions.insert(0, "us_east_1")
    chosen = {}
    for region in regions:
        mod = importlib.import_module("cfnlint.data.schemas.providers." + region)
        for typ, digest in sorted(mod.types.items()):
            if typ.count("::") != 2 or typ in chosen:
                continue  # Module and other non-resource entries
            chosen[typ] = digest
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        if name.endswith(".json"):
            os.remove(os.path.join(out, name))
    for typ, digest in sorted(chosen.items()):
        with open(os.path.join(base, digest + ".json"), "rb") as f:
            data = f.read()
        name = typ.replace("::", "-").lower() + ".json"
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    with open(os.path.join(out, "SOURCE"), "w") as f:
        f.write("CloudFormation registry resource schemas as bundled in cfn-lint %s\n" % CFN_LINT_VERSION)
        f.write("(us-east-1's schema per type; other regions' for types us-east-1 lacks).\n")
        f.write("%d resource types. Refresh with `make cfn-schemas`; do not edit by hand.\n" % len(chosen))
    print("wrote %d schemas to %s (cfn-lint %s)" % (len(chosen), out, CFN_LINT_VERSION))


if __name__ == "__main__":
    main()
