# Sourced by the release tests. go_tool NAME PACKAGE VERSION: prints the path
# of a Go tool, installed with `go install` (Go and the module proxy are all it
# needs) into .tools/NAME-VERSION/ on first use and reused after that.
go_tool() {
  local name=$1 package=$2 version=$3 tools scratch
  tools=$source_dir/.tools/$name-$version
  if [[ ! -x $tools/$name ]]; then
    command -v go >/dev/null || { echo "FAIL: go is missing: $name is installed with go install" >&2; return 1; }
    mkdir -p "$source_dir/.tools"
    # Into a scratch directory first, so an interrupted install leaves no binary behind.
    scratch=$(mktemp -d "$source_dir/.tools/.$name.XXXXXX")
    echo "installing $name $version into $tools" >&2
    if ! GOBIN=$scratch go install "$package@$version" >&2; then
      rm -rf "$scratch"
      echo "FAIL: go install $package@$version failed" >&2
      return 1
    fi
    mkdir -p "$tools"
    mv "$scratch/$name" "$tools/$name"
    rm -rf "$scratch"
  fi
  echo "$tools/$name"
}
