#!/usr/bin/env python3
"""Checks the links of every Markdown file under a root directory.

A link passes when it is relative, stays inside the root, names a file or
directory that exists, and, with a #fragment, names a heading (GitHub's slug)
or an explicit anchor of the Markdown file it points to. Anything else fails:
a missing file or anchor, a path that climbs out of the root, an absolute
path, and any link with a scheme (http, https, mailto, ...), including bare
URLs that GitHub would turn into links. The docs never link outside the
repository.

Usage: check_links.py ROOT [--exclude DIR]...
Prints one line per bad link (FILE:LINE: ...) and exits 1 when there is any.
"""

import argparse
import os
import re
import subprocess
import sys
from urllib.parse import unquote

# Links allowed to leave the repository. Keep it empty: say it in our own words.
ALLOWED_EXTERNAL = frozenset()

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
INLINE_LINK = re.compile(
    r"!?\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]"   # [text], one level of nested brackets
    r"\(\s*(<[^>]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)"  # (target
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")  # "title")
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*(<[^>]*>|\S+)")
HTML_ATTRIBUTE = re.compile(r"<(?:a|img|source)\b[^>]*?\b(href|src)\s*=\s*[\"']([^\"']*)[\"']",
                            re.IGNORECASE)
HTML_ANCHOR = re.compile(r"<a\b[^>]*?\b(?:id|name)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
BARE_URL = re.compile(r"(?:https?|ftp)://[^\s)>\]]+|www\.[A-Za-z0-9-]+\.[A-Za-z]", re.IGNORECASE)


def markdown_files(root, excluded):
    """The Markdown files git would track (ignored build trees left out), else all."""
    try:
        listed = subprocess.run(
            ["git", "-C", root, "ls-files", "--cached", "--others", "--exclude-standard",
             "-z", "--", "*.md"],
            check=True, capture_output=True, text=True).stdout.split("\0")
        files = [os.path.join(root, name) for name in listed if name]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for directory, subdirectories, names in os.walk(root):
            subdirectories[:] = [d for d in subdirectories
                                 if not d.startswith(".") and not d.startswith("build")]
            files += [os.path.join(directory, n) for n in names if n.endswith(".md")]
    keep = []
    for path in files:
        real = os.path.realpath(path)
        if os.path.isfile(path) and not any(real == e or real.startswith(e + os.sep)
                                            for e in excluded):
            keep.append(path)
    return sorted(keep)


def prose_lines(text):
    """(line number, line) for each line outside fenced code blocks."""
    fence = None
    for number, line in enumerate(text.splitlines(), 1):
        match = FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        yield number, line


def slug(heading):
    """GitHub's anchor for a heading's text."""
    text = CODE_SPAN.sub(lambda m: m.group(2), heading)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link's text stays
    text = re.sub(r"<[^>]+>", "", text)                       # HTML tags go
    text = text.replace("*", "")
    text = text.strip().lower()
    text = "".join(c for c in text if c.isalnum() or c in " -_")
    return text.replace(" ", "-")


def anchors_of(text):
    """Every anchor a Markdown file offers: heading slugs (repeats get -1, -2, ...)
    and explicit HTML ids."""
    anchors = set()
    seen = {}
    previous = ""
    for _, line in prose_lines(text):
        headings = []
        match = ATX_HEADING.match(line)
        if match:
            headings.append(match.group(2))
        elif SETEXT_UNDERLINE.match(line) and previous.strip() and "|" not in previous:
            headings.append(previous.strip())
        for heading in headings:
            base = slug(heading)
            count = seen.get(base, 0)
            seen[base] = count + 1
            anchors.add(base if count == 0 else f"{base}-{count}")
        anchors.update(HTML_ANCHOR.findall(line))
        previous = line
    return anchors


def links_in(line):
    """(target, kind) of each link on a prose line, code spans left out."""
    without_code = CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
    found = []
    for match in INLINE_LINK.finditer(without_code):
        found.append((match.group(2).strip("<>"), "link"))
    rest = INLINE_LINK.sub(" ", without_code)
    definition = REFERENCE_DEFINITION.match(rest)
    if definition:
        found.append((definition.group(2).strip("<>"), "link"))
        rest = rest[:definition.start()] + " " * (definition.end() - definition.start())
    for match in HTML_ATTRIBUTE.finditer(rest):
        found.append((match.group(2), "link"))
    rest = HTML_ATTRIBUTE.sub(" ", rest)
    for match in BARE_URL.finditer(rest):
        found.append((match.group(0), "bare URL"))
    return found


class Checker:
    def __init__(self, root):
        self.root = os.path.realpath(root)
        self.anchor_cache = {}
        self.problems = []
        self.checked = 0

    def anchors(self, path):
        if path not in self.anchor_cache:
            with open(path, encoding="utf-8", errors="replace") as file:
                self.anchor_cache[path] = anchors_of(file.read())
        return self.anchor_cache[path]

    def report(self, path, number, target, why):
        shown = os.path.relpath(path, self.root)
        self.problems.append(f"{shown}:{number}: '{target}': {why}")

    def check_file(self, path):
        with open(path, encoding="utf-8", errors="replace") as file:
            text = file.read()
        for number, line in prose_lines(text):
            for target, kind in links_in(line):
                self.checked += 1
                why = self.problem(path, target, kind)
                if why:
                    self.report(path, number, target, why)

    def problem(self, path, target, kind):
        if kind == "bare URL" or SCHEME.match(target):
            if target in ALLOWED_EXTERNAL:
                return None
            return ("leaves the repository (the docs never link outside it: say it in our "
                    "own words, or point to a file here)")
        if not target:
            return "empty link"
        location, _, fragment = target.partition("#")
        location = unquote(location)
        if location.startswith("/"):
            return "absolute path: link relative to this file"
        if location:
            resolved = os.path.realpath(os.path.join(os.path.dirname(path), location))
            if resolved != self.root and not resolved.startswith(self.root + os.sep):
                return "climbs out of the repository"
            if not os.path.exists(resolved):
                return "no such file"
        else:
            resolved = path
        if fragment:
            if not resolved.endswith(".md") or not os.path.isfile(resolved):
                return "an anchor needs a Markdown file to point into"
            if unquote(fragment).lower() not in self.anchors(resolved):
                return f"no heading or anchor '#{fragment}' in {os.path.relpath(resolved, self.root)}"
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root")
    parser.add_argument("--exclude", action="append", default=[],
                        help="a directory under ROOT whose files are not checked")
    arguments = parser.parse_args()
    root = os.path.realpath(arguments.root)
    excluded = [os.path.realpath(os.path.join(root, e)) for e in arguments.exclude]
    checker = Checker(root)
    files = markdown_files(root, excluded)
    if not files:
        print(f"no Markdown files under {root}")
        return 1
    for path in files:
        checker.check_file(path)
    for problem in checker.problems:
        print(problem)
    if checker.problems:
        print(f"{len(checker.problems)} bad link(s) in {len(files)} Markdown files")
        return 1
    print(f"all {checker.checked} links of {len(files)} Markdown files resolve inside the "
          "repository")
    return 0


if __name__ == "__main__":
    sys.exit(main())
