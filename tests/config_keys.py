#!/usr/bin/env python3
"""Every configuration key a module declares is read by some code.

A key lives in one module's table (static const ng_config_key ...[] in
generator/*.c): its section, its name and the member of the module's
options struct it fills. A key nobody reads is a promise the program does
not keep ("[mail] tekst is parsed and documented but never used"). This
check reads the sources: the member a key fills must be read somewhere in
generator/ outside the key tables and outside the lines that only free it.

Usage: config_keys.py SOURCE_DIR   (exit 0, or 1 listing the unread keys)
"""
import pathlib
import re
import sys

KEY_MACROS = {
    # macro: index of the member argument
    "NG_KEY": 4,
    "NG_KEY_REQ": 4,
    "NG_KEY_RANGE": 4,
    "NG_KEY_AUX": 4,
    "COLUMN": None,   # udtraek.c: kolonner[f], read as a whole array
    "OMRAADE": None,  # udtraek.c: omraader[o], read as a whole array
    "MEMO_KEY": 2,    # output.c: memo.<member>
}


def split_args(text):
    args, depth, cur = [], 0, ""
    instr = False
    for ch in text:
        if instr:
            cur += ch
            if ch == '"':
                instr = False
            continue
        if ch == '"':
            instr = True
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
            continue
        cur += ch
    if cur.strip():
        args.append(cur.strip())
    return args


def key_tables(src):
    """(start, end) offsets of every ng_config_key table in src."""
    for m in re.finditer(r"ng_config_key\s+\w+\[\]\s*=\s*\{", src):
        depth, i = 1, m.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(src[i], 0)
            i += 1
        yield m.start(), i


def members(table):
    """(section, key, member) of every key in a table's text."""
    out = []
    for m in re.finditer(r"\b(NG_KEY_REQ|NG_KEY_RANGE|NG_KEY_AUX|NG_KEY|MEMO_KEY|"
                         r"NG_INPUT_FORMAT_KEYS|NG_INPUT_AMOUNT_KEYS)\(", table):
        depth, i = 1, m.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(table[i], 0)
            i += 1
        args = split_args(table[m.end():i - 1])
        macro = m.group(1)
        if macro == "NG_INPUT_FORMAT_KEYS":
            out += [(args[1], "skilletegn", "delimiter"), (args[1], "tegnsaet", "encoding")]
        elif macro == "NG_INPUT_AMOUNT_KEYS":
            out += [(args[1], "enhed", "scale"), (args[1], "decimaltegn", "decimal")]
        elif macro == "MEMO_KEY":
            out.append(("notat", args[0], args[2]))
        else:
            out.append((args[1], args[2], args[KEY_MACROS[macro]]))
    # a key written out as a plain initialiser: {"mail", "til", KIND, offsetof(opts, to), ...}
    for m in re.finditer(r'\{\s*"(\w+)",\s*"(\w+)",\s*NG_KEY_\w+,\s*offsetof\(\w+,\s*(\w+)\)',
                         table):
        out.append((m.group(1), m.group(2), m.group(3)))
    return out


def main():
    root = pathlib.Path(sys.argv[1])
    sources = {p: p.read_text(encoding="utf-8") for p in sorted((root / "generator").rglob("*.c"))}
    # the code outside the key tables, without lines that only free a member
    code = []
    keys = []
    for path, src in sources.items():
        spans = list(key_tables(src))
        for start, end in spans:
            keys += [(path.name, *k) for k in members(src[start:end])]
        rest, last = "", 0
        for start, end in spans:
            rest += src[last:start]
            last = end
        rest += src[last:]
        code += [line for line in rest.splitlines() if "free(" not in line]
    text = "\n".join(code)
    unread = []
    for fname, section, key, member in keys:
        leaf = re.split(r"[.\[]", member.strip())[-1] if "." in member else member.split("[")[0]
        leaf = leaf.strip().rstrip("]")
        if not re.search(r"(->|\.)" + re.escape(leaf) + r"\b", text):
            section, key = section.strip('"'), key.strip('"')
            unread.append(f"{fname}: [{section}] {key} fills '{member}', which no code reads")
    if not keys:
        print("no key tables found", file=sys.stderr)
        return 1
    for line in unread:
        print(line, file=sys.stderr)
    print(f"{len(keys)} keys declared, {len(unread)} unread")
    return 1 if unread else 0


if __name__ == "__main__":
    sys.exit(main())
