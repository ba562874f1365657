#!/usr/bin/env python3
"""Checks docs/reference.md against the binaries' own --help.

Every command `schemagate --help` lists must have a section headed
"schemagate COMMAND", and every option `schemagate COMMAND --help` lists must
be named in that section. Every global option must be named in the section
"Global options", and every flag of `schemagate-operator --help` in the
section "schemagate-operator". A section for a command the binary no longer
has fails too.

Usage: check_reference.py SCHEMAGATE SCHEMAGATE_OPERATOR REFERENCE_MD
Prints what is missing and exits 1 when anything is.
"""

import re
import subprocess
import sys

HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# An option line of Boost.Program_options' help: "  -m [ --message ] arg  text"
# or "  --lock-timeout  text"; wrapped descriptions are indented further.
OPTION_LINE = re.compile(r"^  (?:-([A-Za-z0-9]) \[ --([a-z0-9-]+) \]|--([a-z0-9-]+))")
COMMAND_LINE = re.compile(r"^  ([a-z][a-z0-9-]*)\s+\S")


def run_help(*command):
    result = subprocess.run(list(command), capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {result.returncode}: {result.stderr}")
    return result.stdout


def options_in(lines):
    """(short or None, long) of each option line."""
    found = []
    for line in lines:
        match = OPTION_LINE.match(line)
        if match:
            found.append((match.group(1), match.group(2) or match.group(3)))
    return found


def block_after(text, title):
    """The lines after a line equal to `title`, up to the next blank line."""
    lines = text.splitlines()
    if title not in lines:
        raise SystemExit(f"the help has no '{title}' block:\n{text}")
    block = []
    for line in lines[lines.index(title) + 1:]:
        if not line.strip():
            break
        block.append(line)
    return block


def sections(markdown):
    """{heading text without backticks: the section's text up to the next heading
    of the same or a higher level}"""
    lines = markdown.splitlines()
    headings = []
    fence = None
    for index, line in enumerate(lines):
        match = FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0]:
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        heading = HEADING.match(line)
        if heading:
            headings.append((index, len(heading.group(1)), heading.group(2).replace("`", "")))
    result = {}
    for position, (start, level, title) in enumerate(headings):
        end = len(lines)
        for later_start, later_level, _ in headings[position + 1:]:
            if later_level <= level:
                end = later_start
                break
        result[title] = "\n".join(lines[start:end])
    return result


def names(text, option):
    """Whether `option` (--long or -s) is named in text, not as part of a longer one."""
    return re.search(r"(?<![\w-])" + re.escape(option) + r"(?![\w-])", text) is not None


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    schemagate, operator, reference_path = sys.argv[1:]
    with open(reference_path, encoding="utf-8") as file:
        reference = sections(file.read())
    missing = []

    def require(section_title, options, what):
        section = reference.get(section_title)
        if section is None:
            missing.append(f"no section '{section_title}' for {what}")
            return
        for short, long in options:
            for option in ([f"-{short}"] if short else []) + [f"--{long}"]:
                if not names(section, option):
                    missing.append(f"section '{section_title}' does not name {option} ({what})")

    top = run_help(schemagate, "--help")
    commands = [COMMAND_LINE.match(line).group(1)
                for line in block_after(top, "commands:") if COMMAND_LINE.match(line)]
    if not commands:
        raise SystemExit(f"no commands found in `{schemagate} --help`:\n{top}")
    require("Global options", options_in(block_after(top, "Global options:")),
            "schemagate's global options")
    for command in commands:
        help_text = run_help(schemagate, command, "--help")
        lines = help_text.splitlines()
        options = options_in(lines[lines.index("options:") + 1:]) if "options:" in lines else []
        require(f"schemagate {command}", options, f"`schemagate {command} --help`")
    for title in reference:
        documented = re.fullmatch(r"schemagate ([a-z][a-z0-9-]*)", title)
        if documented and documented.group(1) not in commands:
            missing.append(f"section '{title}' documents a command `schemagate --help` "
                           "does not list")

    operator_help = run_help(operator, "--help")
    require("schemagate-operator", options_in(operator_help.splitlines()),
            "`schemagate-operator --help`")

    for problem in missing:
        print(f"{reference_path}: {problem}")
    if missing:
        print(f"{len(missing)} difference(s) between the reference and --help")
        return 1
    print(f"{reference_path} names all {len(commands)} commands and every option of --help")
    return 0


if __name__ == "__main__":
    sys.exit(main())
