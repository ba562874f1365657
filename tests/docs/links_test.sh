#!/usr/bin/env bash
# The repository's Markdown links all resolve and none leaves the repository
# (check_links.py), and the checker itself catches each kind of bad link in
# fixtures/bad while it passes every kind of good one in fixtures/good.
# Usage: links_test.sh SOURCE_DIR
set -uo pipefail
source_dir=${1:?source dir}
here=$source_dir/tests/docs
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
require_tools python3

check "every link in the repository resolves inside it" \
  python3 "$here/check_links.py" "$source_dir" --exclude tests/docs/fixtures/bad

check "the good fixture passes: files, directories, headings with code and apostrophes, repeats, setext, HTML ids, reference links" \
  python3 "$here/check_links.py" "$here/fixtures/good"

bad_output=$(python3 "$here/check_links.py" "$here/fixtures/bad")
bad_status=$?
echo "$bad_output" | sed 's/^/  | /'
check "the bad fixture fails" [ "$bad_status" -eq 1 ]
expect_reported() {  # expect_reported WHAT LINE-PREFIX
  check "reported: $1" grep -qF -- "$2" <<<"$bad_output"
}
expect_reported "a missing file" "index.md:5: 'sub/missing.md': no such file"
expect_reported "a missing anchor" "index.md:6: 'sub/page.md#no-such-heading': no heading or anchor"
expect_reported "a path climbing out of the root" "index.md:7: '../../../../README.md': climbs out"
expect_reported "an absolute path" "index.md:8: '/etc/passwd': absolute path"
expect_reported "an http link" "index.md:9: 'https://example.com/docs': leaves the repository"
expect_reported "another scheme" "index.md:10: 'mailto:someone@example.com': leaves the repository"
expect_reported "a bare URL in prose" "index.md:11: 'https://example.com/bare': leaves the repository"
expect_reported "a missing anchor in the same file" "index.md:12: '#not-here': no heading or anchor"
expect_reported "an anchor into a file that is not Markdown" "index.md:13: 'sub/data.txt#top': an anchor needs a Markdown file"
expect_reported "a reference definition to nowhere" "index.md:16: 'sub/gone.md': no such file"
expect_reported "an HTML link climbing out" "sub/page.md:5: '../../../../../outside.md': climbs out"
check "nothing else is reported" equals "$(grep -cE "^[^ ]+:[0-9]+: '" <<<"$bad_output")" 11

finish
