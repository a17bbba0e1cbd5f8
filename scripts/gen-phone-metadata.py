#!/usr/bin/env python3
"""Generate Sources/PhoneNumbers/PhoneMetadata+Table.swift from libphonenumber's metadata.

The Python port of libphonenumber (`pip install phonenumbers`) ships the complete numbering-plan
metadata. This script dumps the parts that PhoneNumberNormalizer needs into one compact string
literal (one line per region), which PhoneMetadata parses lazily on first use. A single string
literal keeps the Swift type-checker out of the way (a big array of struct literals would not).

Usage (from the package root):

    pip install phonenumbers==<version>
    python3 scripts/gen-phone-metadata.py            # writes the Swift file
    python3 scripts/gen-phone-metadata.py --check    # exits 1 if the file is stale

Line format, fields separated by ';' (a character that never occurs in the metadata):

    REGION;CC;IDD;NP;NPP;NPTR;LEADING;FLAGS;DESC;DESC;...

    REGION   ISO 3166 alpha-2 code, or "001" for a non-geographic calling code (+800, +882, ...)
    CC       country calling code
    IDD      international (exit) prefix regex, e.g. 00, 011, 0(?:0|1[0-9])
    NP       national (trunk) prefix, e.g. 0 or 1
    NPP      national prefix for parsing regex (may contain capture groups)
    NPTR     national prefix transform rule, in NSRegularExpression template syntax ($1)
    LEADING  leading-digits regex that picks this region among those sharing the calling code
    FLAGS    "s" when the mobile and fixed-line patterns are identical
    DESC     K=LENGTHS=LOCAL=PATTERN, one per number type that has data. K is one of
             G general, F fixed line, M mobile, P premium rate, T toll free, S shared cost,
             V VoIP, N personal number, B pager, U UAN, W voicemail. LENGTHS / LOCAL are the
             possible / local-only national significant number lengths ("7,9-11"; empty means
             "same as general"), PATTERN the national number pattern (matched in full).

Lines are ordered by calling code; within a calling code, the main region comes first, followed
by the other regions in libphonenumber's order (COUNTRY_CODE_TO_REGION_CODE).
"""

import argparse
import os
import re
import sys

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE
from phonenumbers.phonemetadata import PhoneMetadata

OUTPUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..",
    "Sources", "PhoneNumbers", "PhoneMetadata+Table.swift",
)

# Order matters: it is the order in which libphonenumber's number-type helper tests the types.
DESC_FIELDS = [
    ("G", "general_desc"),
    ("P", "premium_rate"),
    ("T", "toll_free"),
    ("S", "shared_cost"),
    ("V", "voip"),
    ("N", "personal_number"),
    ("B", "pager"),
    ("U", "uan"),
    ("W", "voicemail"),
    ("F", "fixed_line"),
    ("M", "mobile"),
]

FORBIDDEN = set(";=\n\r\"#")


def lengths(values):
    """Compress a sorted tuple of lengths into "4,6-9"."""
    values = sorted(v for v in values if v >= 0)
    out = []
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[j] + 1:
            j += 1
        out.append(str(values[i]) if i == j else "%d-%d" % (values[i], values[j]))
        i = j + 1
    return ",".join(out)


def check(value, what):
    if value is None:
        return ""
    bad = FORBIDDEN & set(value)
    if bad:
        sys.exit("%s contains reserved characters %r: %r" % (what, sorted(bad), value))
    return value


def transform_rule(rule):
    """Python's re.sub template (\\1) -> NSRegularExpression template ($1)."""
    if not rule:
        return ""
    if "$" in rule:
        sys.exit("unexpected '$' in transform rule %r" % rule)
    return re.sub(r"\\(\d)", r"$\1", rule)


def region_line(region, meta):
    if meta.country_code is None:
        sys.exit("no country code for %s" % region)
    fields = [
        region,
        str(meta.country_code),
        check(meta.international_prefix, region + " IDD"),
        check(meta.national_prefix, region + " national prefix"),
        check(meta.national_prefix_for_parsing, region + " national prefix for parsing"),
        check(transform_rule(meta.national_prefix_transform_rule), region + " transform rule"),
        check(meta.leading_digits, region + " leading digits"),
        "s" if meta.same_mobile_and_fixed_line_pattern else "",
    ]
    for key, attr in DESC_FIELDS:
        desc = getattr(meta, attr)
        if desc is None or not desc.national_number_pattern:
            if key == "G":
                sys.exit("no general description for %s" % region)
            continue
        if tuple(desc.possible_length) == (-1,):
            continue  # libphonenumber's marker for "no numbers of this type"
        fields.append("%s=%s=%s=%s" % (
            key,
            lengths(desc.possible_length),
            lengths(desc.possible_length_local_only),
            check(desc.national_number_pattern, "%s %s pattern" % (region, attr)),
        ))
    return ";".join(fields)


def generate():
    lines = []
    seen = set()
    for cc in sorted(COUNTRY_CODE_TO_REGION_CODE):
        for region in COUNTRY_CODE_TO_REGION_CODE[cc]:
            if region == "001":
                meta = PhoneMetadata.metadata_for_nongeo_region(cc)
            else:
                meta = PhoneMetadata.metadata_for_region(region)
            if meta is None:
                sys.exit("no metadata for %s (+%d)" % (region, cc))
            if meta.country_code != cc:
                sys.exit("%s: calling code %s != %d" % (region, meta.country_code, cc))
            key = (region, cc)
            if key in seen:
                sys.exit("duplicate %s" % (key,))
            seen.add(key)
            lines.append(region_line(region, meta))
    missing = set(phonenumbers.SUPPORTED_REGIONS) - {r for r, _ in seen}
    if missing:
        sys.exit("regions missing from the calling-code map: %s" % sorted(missing))
    body = "\n".join(lines)
    if '"#' in body:
        sys.exit('the table contains "#, which would end the raw string literal')
    version = phonenumbers.__version__
    return (
        "// GENERATED FILE - DO NOT EDIT.\n"
        "//\n"
        "// Numbering-plan metadata from libphonenumber, via the Python port `phonenumbers` %s.\n"
        "// Regenerate with:\n"
        "//\n"
        "//     pip install phonenumbers==%s\n"
        "//     python3 scripts/gen-phone-metadata.py\n"
        "//\n"
        "// %d regions, %d calling codes. The line format is documented in scripts/gen-phone-metadata.py;\n"
        "// `PhoneMetadata` parses it lazily on first use.\n"
        "\n"
        "extension PhoneMetadata {\n"
        "    /// The version of libphonenumber's metadata (Python `phonenumbers`) this table was generated from.\n"
        "    static let tableVersion = \"%s\"\n"
        "\n"
        "    /// One line per region: `REGION;CC;IDD;NP;NPP;NPTR;LEADING;FLAGS;K=LENGTHS=LOCAL=PATTERN;...`.\n"
        "    static let rawTable = #\"\"\"\n"
        "%s\n"
        "\"\"\"#\n"
        "}\n"
    ) % (version, version, len(lines), len(COUNTRY_CODE_TO_REGION_CODE), version, body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the generated file is out of date")
    parser.add_argument("--output", default=OUTPUT, help="where to write the Swift file")
    args = parser.parse_args()
    text = generate()
    if args.check:
        try:
            with open(args.output, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != text:
            sys.exit("%s is out of date; run scripts/gen-phone-metadata.py" % args.output)
        print("up to date (phonenumbers %s)" % phonenumbers.__version__)
        return
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote %s (phonenumbers %s, %d bytes)" % (os.path.normpath(args.output), phonenumbers.__version__, len(text)))


if __name__ == "__main__":
    main()
